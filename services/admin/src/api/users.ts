import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { createApiApp } from "./api-app.js";
import { registerCreateUser } from "./users/create.js";
import { registerListUsers } from "./users/list.js";
import { registerRevokeUserSessions } from "./users/revoke-sessions.js";
import { registerUpdateUser } from "./users/update.js";

/** /api/users: the JSON twin of the /users page, admins only. */
export function userApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.use(requireRole("admin"));
  registerListUsers(app, ctx);
  registerCreateUser(app, ctx);
  registerUpdateUser(app, ctx);
  registerRevokeUserSessions(app, ctx);
  return app;
}
