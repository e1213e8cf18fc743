import {
  type AdminSession,
  type AppContext,
  AppError,
  changePassword,
  httpStatusOf,
  MIN_PASSWORD_LENGTH,
  type PasswordGate,
} from "@mcp-tools/core";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AdminEnv } from "../env.js";
import { CsrfField, Layout, Message, NewPasswordField } from "./layout.js";

export interface AccountPagesOptions {
  clientIp: (c: Context) => string;
  passwords: PasswordGate;
  now?: (() => Date) | undefined;
}

/** /account/password: every signed-in person changes their own password here. */
export function accountPages(
  ctx: AppContext,
  { clientIp, passwords, now }: AccountPagesOptions,
): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const page = (c: Context<AdminEnv>, props: { error?: string; notice?: string } = {}, status = 200) =>
    c.html(<PasswordPage session={c.get("session")} {...props} />, status as ContentfulStatusCode);

  app.get("/password", (c) =>
    page(c, {
      notice:
        c.req.query("done") === "changed"
          ? "Your password is changed; your other sessions have ended."
          : undefined,
    }),
  );

  app.post("/password", async (c) => {
    const form = await c.req.parseBody();
    const newPassword = String(form.newPassword ?? "");
    if (newPassword !== String(form.confirm ?? ""))
      return page(c, { error: "The two new passwords differ." }, 400);
    try {
      await changePassword(
        ctx,
        {
          userId: c.get("session").user.id,
          sessionToken: c.get("sessionToken"),
          currentPassword: String(form.currentPassword ?? ""),
          newPassword,
        },
        { gate: passwords, clientIp: clientIp(c), now },
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return page(c, { error: error.message }, httpStatusOf[error.code]);
    }
    return c.redirect("/account/password?done=changed", 303);
  });

  return app;
}

function PasswordPage({
  session,
  error,
  notice,
}: {
  session: AdminSession;
  error?: string;
  notice?: string;
}) {
  return (
    <Layout title="Change your password" session={session} current="/account/password">
      <div class="panel">
        <h1>Change your password</h1>
        <p class="muted">
          Signed in as <strong>{session.user.username}</strong>. Your other sessions end when it changes; this
          one stays.
        </p>
        <Message error={error} notice={notice} />
        <form class="stack" method="post" action="/account/password">
          <CsrfField session={session} />
          <label>
            Current password
            <input name="currentPassword" type="password" autocomplete="current-password" required />
          </label>
          <NewPasswordField name="newPassword">
            New password (at least {MIN_PASSWORD_LENGTH} characters)
          </NewPasswordField>
          <NewPasswordField name="confirm">New password again</NewPasswordField>
          <button type="submit">Change password</button>
        </form>
      </div>
    </Layout>
  );
}
