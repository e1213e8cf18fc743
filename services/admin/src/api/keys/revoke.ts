import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type AppContext, revokeApiKey } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { csrfHeader, failure, json, refused } from "../responses.js";
import { KeyIdParam, KeyResponse } from "./schemas.js";

const route = createRoute({
  method: "post",
  path: "/{id}/revoke",
  summary: "Revoke an API key (operator, admin); revoking a revoked key changes nothing",
  parameters: [csrfHeader],
  request: { params: KeyIdParam },
  responses: { 200: json(KeyResponse, "The key, revoked"), ...refused, 404: failure("No such key") },
});

/** POST /api/keys/:id/revoke. */
export function registerRevokeKey(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => {
    const actor = c.get("session").user.username;
    const key = await revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, c.req.valid("param").id, actor);
    return c.json({ key }, 200);
  });
}
