import type { MiddlewareHandler } from "hono";

export interface SecurityHeadersOptions {
  /** Replaces the default Content-Security-Policy. */
  contentSecurityPolicy?: string;
}

// No inline script or style anywhere: every page uses /assets/app.css and plain forms.
const defaultPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

/** Sets CSP, nosniff, no-referrer and DENY framing on every response, errors included. */
export function securityHeaders({
  contentSecurityPolicy = defaultPolicy,
}: SecurityHeadersOptions = {}): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    c.res.headers.set("Content-Security-Policy", contentSecurityPolicy);
    c.res.headers.set("X-Content-Type-Options", "nosniff");
    c.res.headers.set("Referrer-Policy", "no-referrer");
    c.res.headers.set("X-Frame-Options", "DENY");
  };
}
