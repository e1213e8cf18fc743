import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, listUsers } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { json, refused } from "../responses.js";
import { User } from "./schemas.js";

const route = createRoute({
  method: "get",
  path: "/",
  summary: "List users (admin)",
  responses: { 200: json(z.object({ users: z.array(User) }), "Every user, oldest first"), ...refused },
});

/** GET /api/users. */
export function registerListUsers(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => c.json({ users: await listUsers(ctx) }, 200));
}
