import { type AdminSession, type AppContext, resolveSession } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";
import type { AdminEnv } from "../env.js";
import { readSessionCookie } from "./cookie.js";

export interface RequireSessionOptions {
  ctx: Pick<AppContext, "db">;
  /** Paths reachable without a session. */
  publicPaths: ReadonlySet<string>;
  now?: () => Date;
}

/**
 * Resolves the session cookie to a person. Without one, pages redirect (303) to /login with the
 * page to return to, and /api answers 401 JSON. Applied to every path, so a new route is
 * protected unless someone adds it to the public list.
 */
export function requireSession({
  ctx,
  publicPaths,
  now = () => new Date(),
}: RequireSessionOptions): MiddlewareHandler<AdminEnv> {
  return async function requireSession(c, next) {
    const url = new URL(c.req.url);
    if (publicPaths.has(url.pathname)) return next();
    const token = readSessionCookie(c);
    const session: AdminSession | undefined = token ? await resolveSession(ctx, token, { now }) : undefined;
    if (!token || !session) {
      if (isApi(url.pathname)) {
        return c.json({ error: { code: "UNAUTHORIZED", message: "Sign in first: no valid session" } }, 401);
      }
      const back = c.req.method === "GET" ? url.pathname + url.search : "/";
      return c.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
    }
    c.set("session", session);
    c.set("sessionToken", token);
    return next();
  };
}

export const isApi = (path: string) => path === "/api" || path.startsWith("/api/");
