import { type AppContext, endSession, login, type PasswordGate } from "@mcp-tools/core";
import { type Context, Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { clearSessionCookie, readSessionCookie, setSessionCookie } from "../middleware/cookie.js";
import { Layout, Message } from "./layout.js";

export interface LoginPagesOptions {
  /** The client's address, for the sign-in limits. */
  clientIp: (c: Context) => string;
  /** Whether the browser reached us over https, for the cookie's Secure flag. */
  https: (c: Context) => boolean;
  /** The app's password gate. */
  passwords: PasswordGate;
  now?: (() => Date) | undefined;
}

/** GET/POST /login and POST /logout. */
export function loginPages(
  ctx: AppContext,
  { clientIp, https, passwords, now }: LoginPagesOptions,
): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get("/login", (c) =>
    c.html(
      <LoginPage next={safeNext(c.req.query("next"), originOf(c))} notice={noticeOf(c.req.query("done"))} />,
    ),
  );

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const username = String(form.username ?? "");
    const next = safeNext(String(form.next ?? ""), originOf(c));
    const result = await login(
      ctx,
      { username, password: String(form.password ?? ""), clientIp: clientIp(c) },
      { gate: passwords, now },
    );
    if (!result.ok) {
      // The name is shown back only when it could be one: a refused megabyte is not echoed.
      const shown = username.length <= 256 ? username : "";
      const page = <LoginPage next={next} username={shown} error={result.message} />;
      if (result.reason === "invalid") return c.html(page, 401);
      c.header("retry-after", String(result.retryAfterSeconds));
      return c.html(page, result.reason === "locked" ? 429 : 503);
    }
    setSessionCookie(c, result.session.token, result.session.expiresAt, https(c));
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    const token = readSessionCookie(c);
    if (token) await endSession(ctx, token);
    clearSessionCookie(c, https(c));
    return c.redirect("/login?done=logout", 303);
  });

  return app;
}

/**
 * Where to go after signing in: `next` resolved as a browser would resolve it on this page (WHATWG
 * URL), kept only when it stays on this origin, and then only as path, query and fragment. Browsers
 * drop tabs and newlines and read `\` as `/`, so a prefix check passes `/\t/evil.example` on.
 */
export function safeNext(next: string | undefined, origin: string): string {
  if (!next) return "/";
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return "/";
  }
  if (url.origin !== origin) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

const originOf = (c: Context) => new URL(c.req.url).origin;

function noticeOf(done: string | undefined): string | undefined {
  if (done === "logout") return "You are signed out.";
  if (done === "setup") return "Your password is set. Sign in with it.";
  return undefined;
}

interface LoginPageProps {
  next: string;
  username?: string;
  error?: string | undefined;
  notice?: string | undefined;
}

function LoginPage({ next, username, error, notice }: LoginPageProps) {
  return (
    <Layout title="Sign in">
      <div class="panel">
        <h1>Sign in</h1>
        <Message error={error} notice={notice} />
        <form class="stack" method="post" action="/login">
          <input type="hidden" name="next" value={next} />
          <label>
            Username
            <input name="username" value={username} autocomplete="username" required autofocus />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit">Sign in</button>
        </form>
      </div>
    </Layout>
  );
}
