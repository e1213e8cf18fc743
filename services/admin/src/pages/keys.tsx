import { type AppContext, AppError, httpStatusOf, listApiKeys, revokeApiKey } from "@mcp-tools/core";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CreateKeyBody, createKeyFrom } from "../api/keys-create.js";
import type { AdminEnv } from "../env.js";
import { KeyCreatedPage, type KeyDraft, KeysPage, RevokeKeyPage } from "./keys-view.js";

/** /keys: list, create and revoke API keys; the same core functions as /api/keys. */
export function keyPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const render = async (
    c: Context<AdminEnv>,
    props: { error?: string; notice?: string; draft?: KeyDraft } = {},
    status = 200,
  ) =>
    c.html(
      <KeysPage
        session={c.get("session")}
        keys={await listApiKeys(ctx.db.db)}
        tools={ctx.tools.all().map((tool) => tool.name)}
        {...props}
      />,
      status as ContentfulStatusCode,
    );
  const findKey = async (id: string) => {
    const key = (await listApiKeys(ctx.db.db)).find((candidate) => candidate.id === id);
    if (!key) throw new AppError("NOT_FOUND", `No API key ${id}`);
    return key;
  };

  app.get("/", (c) => render(c, { notice: c.req.query("done") === "revoked" ? "Key revoked." : undefined }));

  app.post("/", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const draft = draftOf(form);
    if (draft.scope === "tools" && draft.tools.length === 0)
      return render(c, { draft, error: "Choose at least one tool for an allow-list." }, 400);
    const parsed = CreateKeyBody.safeParse(bodyOf(draft));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join(".") || "form";
      return render(c, { draft, error: `${field}: ${issue?.message ?? "invalid"}` }, 400);
    }
    try {
      const { key, secret } = await createKeyFrom(ctx, parsed.data, c.get("session").user.username);
      c.header("cache-control", "no-store");
      return c.html(<KeyCreatedPage session={c.get("session")} apiKey={key} secret={secret} />, 201);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return render(c, { draft, error: error.message }, httpStatusOf[error.code]);
    }
  });

  app.get("/:id/revoke", async (c) =>
    c.html(<RevokeKeyPage session={c.get("session")} apiKey={await findKey(c.req.param("id"))} />),
  );

  app.post("/:id/revoke", async (c) => {
    await revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, c.req.param("id"), c.get("session").user.username);
    return c.redirect("/keys?done=revoked", 303);
  });
  return app;
}

function draftOf(form: Record<string, string | File | (string | File)[]>): KeyDraft {
  const one = (name: string) => {
    const value = form[name];
    return typeof value === "string" ? value.trim() : "";
  };
  const tools = [form.tools ?? []].flat().filter((tool): tool is string => typeof tool === "string");
  return {
    name: one("name"),
    expiresInDays: one("expiresInDays"),
    scope: one("scope") || "all",
    tools,
    rateLimitPerMinute: one("rateLimitPerMinute"),
  };
}

// Empty number fields mean "none"; anything else goes to the same strict schema as the API.
function bodyOf(draft: KeyDraft): unknown {
  const number = (text: string) => (text === "" ? null : Number(text));
  const scope = draft.scope === "tools" ? { kind: "tools", tools: draft.tools } : { kind: draft.scope };
  return {
    name: draft.name,
    scope,
    expiresInDays: number(draft.expiresInDays),
    rateLimitPerMinute: number(draft.rateLimitPerMinute),
  };
}
