import { type AppContext, AppError, httpStatusOf } from "@mcp-tools/core";
import { deleteSecret, listSecrets, setSecret } from "@mcp-tools/core/catalog";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { ConfirmStep } from "./confirm-step.js";
import { SecretsPage } from "./secrets-view.js";

const notices: Record<string, string> = { saved: "Secret saved.", deleted: "Secret deleted." };

/** /secrets: names and stamps for everyone; admins set and delete (the same verbs as /api/secrets). */
export function secretPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const render = async (
    c: Context<AdminEnv>,
    props: { error?: string; notice?: string; name?: string },
    status = 200,
  ) =>
    c.html(
      <SecretsPage session={c.get("session")} secrets={await listSecrets(ctx)} {...props} />,
      status as ContentfulStatusCode,
    );

  app.get("/", (c) => render(c, { notice: notices[c.req.query("done") ?? ""] }));

  app.post("/", requireRole("admin"), async (c) => {
    const form = await c.req.parseBody();
    const name = String(form.name ?? "").trim();
    try {
      await setSecret(ctx, name, String(form.value ?? ""), c.get("session").user.username);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return render(c, { error: error.message, name: name.slice(0, 64) }, httpStatusOf[error.code]);
    }
    return c.redirect("/secrets?done=saved", 303);
  });

  app.get("/:name/delete", requireRole("admin"), (c) => {
    const name = c.req.param("name");
    return c.html(
      <ConfirmStep
        session={c.get("session")}
        title="Delete a secret"
        current="/secrets"
        action={`/secrets/${encodeURIComponent(name)}/delete`}
        button="Delete"
        cancel="/secrets"
      >
        Delete the secret <code>{name}</code>? Tools that send it fail, saying it is not set, until it is set
        again.
      </ConfirmStep>,
    );
  });

  app.post("/:name/delete", requireRole("admin"), async (c) => {
    await deleteSecret(ctx, c.req.param("name"), c.get("session").user.username);
    return c.redirect("/secrets?done=deleted", 303);
  });
  return app;
}
