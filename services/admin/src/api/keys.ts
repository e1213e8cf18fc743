import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { registerCreateKey } from "./keys/create.js";
import { registerListKeys } from "./keys/list.js";
import { registerSetKeyPins } from "./keys/pins.js";
import { registerRevokeKey } from "./keys/revoke.js";

/**
 * /api/keys: list, create (the secret is in this one answer only), revoke MCP API keys, and pin a
 * key to tool versions (it keeps them whatever is approved after).
 */
export function keyApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  registerListKeys(app, ctx);
  registerCreateKey(app, ctx);
  registerRevokeKey(app, ctx);
  registerSetKeyPins(app, ctx);
  return app;
}
