import { type AppContext, AppError, changePassword, type PasswordGate } from "@mcp-tools/core";
import { type Context, Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { ChangePasswordBody } from "./schemas.js";
import { parseJsonBody } from "./validate.js";

export interface MeRoutesOptions {
  clientIp: (c: Context) => string;
  passwords: PasswordGate;
  now?: (() => Date) | undefined;
}

/** /api/me: who is signed in and their CSRF token; POST /api/me/password changes their own password. */
export function meRoutes(ctx: AppContext, { clientIp, passwords, now }: MeRoutesOptions): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", (c) => {
    const { user, csrfToken, expiresAt } = c.get("session");
    return c.json({ user, csrfToken, expiresAt });
  });

  app.post("/password", async (c) => {
    const body = await parseJsonBody(c, ChangePasswordBody);
    try {
      const result = await changePassword(
        ctx,
        { userId: c.get("session").user.id, sessionToken: c.get("sessionToken"), ...body },
        { gate: passwords, clientIp: clientIp(c), now },
      );
      return c.json(result);
    } catch (error) {
      // Too many wrong passwords, or busy: say when to come back.
      const wait = error instanceof AppError ? (error.details as { retryAfterSeconds?: number }) : undefined;
      if (wait?.retryAfterSeconds) c.header("retry-after", String(wait.retryAfterSeconds));
      throw error;
    }
  });
  return app;
}
