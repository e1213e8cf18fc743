import { randomUUID } from "node:crypto";
import { type AppContext, createSession, createUser, type Role } from "@mcp-tools/core";

/** The Host a local browser sends to the admin port used in tests. */
export const local = { host: "127.0.0.1:9091" };
export const localOrigin = "http://127.0.0.1:9091";

export interface SignedIn {
  /** Host and session cookie, ready for `app.request`. */
  headers: Record<string, string>;
  csrf: string;
  user: { id: string; username: string; role: Role };
}

/** A fresh user with `role` and a live session, as if they had signed in. */
export async function signIn(
  ctx: AppContext,
  role: Role,
  username = `${role}-${randomUUID()}`,
): Promise<SignedIn> {
  const user = await createUser(ctx, "test", { username, role, password: "a test password" });
  const session = await createSession(ctx, user);
  return {
    headers: { ...local, cookie: `admin_session=${session.token}` },
    csrf: session.csrfToken,
    user: { id: user.id, username: user.username, role: user.role },
  };
}

/** A JSON request body with the CSRF header, as the API expects from a signed-in client. */
export function jsonWrite(who: SignedIn, method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { ...who.headers, "content-type": "application/json", "x-csrf-token": who.csrf },
    body: JSON.stringify(body),
  };
}

/** A browser form post carrying the session's CSRF token. */
export function formPost(
  who: SignedIn,
  fields: Record<string, string>,
  extra: Record<string, string> = {},
): RequestInit {
  return {
    method: "POST",
    headers: { ...who.headers, "content-type": "application/x-www-form-urlencoded", ...extra },
    body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
  };
}

/** One signed-in user of each role, for role-matrix tests. */
export async function signInEveryRole(ctx: AppContext): Promise<Record<Role, SignedIn>> {
  const [admin, operator, viewer] = await Promise.all([
    signIn(ctx, "admin"),
    signIn(ctx, "operator"),
    signIn(ctx, "viewer"),
  ]);
  return { admin, operator, viewer };
}

/** A sign-in form post from the admin's own origin: no session, hence no CSRF token yet. */
export function loginForm(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: {
      ...local,
      origin: localOrigin,
      "content-type": "application/x-www-form-urlencoded",
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  };
}
