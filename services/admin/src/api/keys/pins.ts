import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, setKeyPins } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { csrfHeader, failure, json, refused } from "../responses.js";
import { jsonBody, wellFormedBody } from "../well-formed-body.js";
import { KeyIdParam, KeyResponse } from "./schemas.js";

/** PUT /api/keys/:id/pins: tool name → version hash; core checks each names an approved version. */
export const KeyPinsBody = z
  .strictObject({ pins: z.record(z.string().max(64), z.string().max(64)) })
  .openapi("KeyPinsBody");

const route = createRoute({
  method: "put",
  path: "/{id}/pins",
  summary: "Pin a key to tool versions: tool name → version hash, {} to unpin (operator, admin)",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: KeyIdParam, body: jsonBody(KeyPinsBody) },
  responses: { 200: json(KeyResponse, "The key"), ...refused, 404: failure("No such key") },
});

/** PUT /api/keys/:id/pins: the key keeps the pinned versions whatever is approved after. */
export function registerSetKeyPins(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => {
    const actor = c.get("session").user.username;
    const key = await setKeyPins(ctx, c.req.valid("param").id, c.req.valid("json").pins, actor);
    return c.json({ key }, 200);
  });
}
