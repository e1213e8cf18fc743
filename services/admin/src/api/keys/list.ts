import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, listApiKeys } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { json, unauthorized } from "../responses.js";
import { ApiKey } from "./schemas.js";

const route = createRoute({
  method: "get",
  path: "/",
  summary: "Every API key, newest first, without secrets",
  responses: { 200: json(z.object({ keys: z.array(ApiKey) }), "OK"), ...unauthorized },
});

/** GET /api/keys. */
export function registerListKeys(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => c.json({ keys: await listApiKeys(ctx.db.db) }, 200));
}
