import { Hono } from "hono";
import type { AdminEnv } from "../env.js";

/** GET /api/me: who is signed in, and the CSRF token API clients send as X-CSRF-Token. */
export function meRoutes(): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", (c) => {
    const { user, csrfToken, expiresAt } = c.get("session");
    return c.json({ user, csrfToken, expiresAt });
  });
  return app;
}
