import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, revokeUserSessions } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { csrfHeader, failure, IdParam, json, refused } from "../responses.js";

const route = createRoute({
  method: "post",
  path: "/{id}/revoke-sessions",
  summary: "Sign a user out everywhere (admin)",
  parameters: [csrfHeader],
  request: { params: IdParam("The user's id") },
  responses: {
    200: json(z.object({ revoked: z.number().int() }), "How many sessions ended"),
    ...refused,
    404: failure("No such user"),
  },
});

/** POST /api/users/:id/revoke-sessions. */
export function registerRevokeUserSessions(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => {
    const revoked = await revokeUserSessions(ctx, c.get("session").user.username, c.req.valid("param").id);
    return c.json({ revoked }, 200);
  });
}
