import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type AppContext,
  AppError,
  changePassword,
  Password,
  type PasswordGate,
  Role,
} from "@mcp-tools/core";
import type { Context } from "hono";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { csrfHeader, failure, json, refused, unauthorized } from "./responses.js";
import { jsonBody, wellFormedBody } from "./well-formed-body.js";

/** POST /api/me/password: your current password, and the new one. */
export const ChangePasswordBody = z
  .strictObject({ currentPassword: z.string().max(4096), newPassword: Password })
  .openapi("ChangePasswordBody");
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

const Me = z.object({
  user: z.object({ id: z.string(), username: z.string(), role: Role }),
  csrfToken: z.string().openapi({ description: "Send it as X-CSRF-Token on every state-changing request" }),
  expiresAt: z.string().openapi({ format: "date-time" }),
});

const read = createRoute({
  method: "get",
  path: "/",
  summary: "The signed-in person and their CSRF token",
  responses: { 200: json(Me, "Signed in"), ...unauthorized },
});

const changeOwnPassword = createRoute({
  method: "post",
  path: "/password",
  summary: "Change your own password (any role); every other session of yours ends",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { body: jsonBody(ChangePasswordBody) },
  responses: {
    200: json(z.object({ otherSessionsEnded: z.number().int() }), "Changed; this session stays signed in"),
    ...refused,
    429: failure("Too many wrong current passwords from this address; see Retry-After"),
    503: failure("Password checks are busy, or the change could not be recorded; see Retry-After"),
  },
});

export interface MeRoutesOptions {
  clientIp: (c: Context) => string;
  passwords: PasswordGate;
  now?: (() => Date) | undefined;
}

/** /api/me: who is signed in and their CSRF token; POST /api/me/password changes their own password. */
export function meRoutes(
  ctx: AppContext,
  { clientIp, passwords, now }: MeRoutesOptions,
): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(read, (c) => {
    const { user, csrfToken, expiresAt } = c.get("session");
    return c.json({ user, csrfToken, expiresAt }, 200);
  });

  app.openapi(changeOwnPassword, async (c) => {
    const body = c.req.valid("json");
    try {
      const result = await changePassword(
        ctx,
        { userId: c.get("session").user.id, sessionToken: c.get("sessionToken"), ...body },
        { gate: passwords, clientIp: clientIp(c), now },
      );
      return c.json(result, 200);
    } catch (error) {
      // Too many wrong passwords, or busy: say when to come back.
      const wait = error instanceof AppError ? (error.details as { retryAfterSeconds?: number }) : undefined;
      if (wait?.retryAfterSeconds) c.header("retry-after", String(wait.retryAfterSeconds));
      throw error;
    }
  });
  return app;
}
