import { timingSafeEqual } from "node:crypto";
import { AppError } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";
import type { AdminEnv } from "../env.js";

export interface CsrfOptions {
  /** Form field carrying the token. */
  field?: string;
  /** Header carrying the token (JSON API). */
  header?: string;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every state-changing request of a session must echo the session's CSRF token, as form field
 * `_csrf` or header `X-CSRF-Token`; else 403. The Origin is checked earlier for every request
 * (originGuard). Requests without a session (the sign-in and setup forms) have no token to echo:
 * for them the browser's own Sec-Fetch-Site marker and the Origin check are what stand.
 */
export function csrf({
  field = "_csrf",
  header = "x-csrf-token",
}: CsrfOptions = {}): MiddlewareHandler<AdminEnv> {
  return async function csrf(c, next) {
    if (safeMethods.has(c.req.method)) return next();
    if (c.req.header("sec-fetch-site") === "cross-site") {
      throw new AppError("FORBIDDEN", "Forbidden: cross-site request");
    }
    const session = c.get("session");
    if (!session) return next();
    const sent = c.req.header(header) ?? (await formField(c.req, field));
    if (!sent || !sameToken(sent, session.csrfToken)) {
      throw new AppError("FORBIDDEN", "Forbidden: missing or wrong CSRF token");
    }
    return next();
  };
}

async function formField(
  req: { header(name: string): string | undefined; parseBody(): Promise<Record<string, unknown>> },
  field: string,
): Promise<string | undefined> {
  const type = req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    return undefined;
  }
  // Hono caches the parsed body, so the route can read it again.
  const value = (await req.parseBody())[field];
  return typeof value === "string" ? value : undefined;
}

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
