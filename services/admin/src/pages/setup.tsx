import {
  type AppContext,
  AppError,
  completeSetup,
  INVALID_SETUP_LINK,
  isSetupTokenValid,
  MIN_PASSWORD_LENGTH,
} from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { Layout, Message, NewPasswordField } from "./layout.js";

/** GET/POST /setup: the one-time link from the log lets the first admin choose a password. */
export function setupPages(
  ctx: AppContext,
  { now }: { now?: (() => Date) | undefined } = {},
): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get("/setup", async (c) => {
    const token = c.req.query("token") ?? "";
    if (!token || !(await isSetupTokenValid(ctx, token, { now }))) return c.html(<InvalidLink />, 403);
    return c.html(<SetupPage token={token} />);
  });

  app.post("/setup", async (c) => {
    const form = await c.req.parseBody();
    const token = String(form.token ?? "");
    const password = String(form.password ?? "");
    if (password !== String(form.confirm ?? "")) {
      return c.html(<SetupPage token={token} error="The two passwords differ." />, 400);
    }
    try {
      await completeSetup(ctx, token, password, { now });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === "FORBIDDEN") return c.html(<InvalidLink />, 403);
      return c.html(<SetupPage token={token} error={error.message} />, 400);
    }
    return c.redirect("/login?done=setup", 303);
  });

  return app;
}

function SetupPage({ token, error }: { token: string; error?: string }) {
  return (
    <Layout title="Choose the admin password">
      <div class="panel">
        <h1>Choose the admin password</h1>
        <p class="muted">
          You will sign in as <strong>admin</strong>. Use at least {MIN_PASSWORD_LENGTH} characters.
        </p>
        <Message error={error} />
        <form class="stack" method="post" action="/setup">
          <input type="hidden" name="token" value={token} />
          <NewPasswordField name="password">Password</NewPasswordField>
          <NewPasswordField name="confirm">Password again</NewPasswordField>
          <button type="submit">Set password</button>
        </form>
      </div>
    </Layout>
  );
}

function InvalidLink() {
  return (
    <Layout title="Setup link">
      <div class="panel">
        <h1>Setup link</h1>
        <Message error={INVALID_SETUP_LINK} />
        <p>
          <a href="/login">Go to sign-in</a>
        </p>
      </div>
    </Layout>
  );
}
