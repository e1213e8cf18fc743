import { type AppContext, createUser, listUsers, revokeUserSessions, updateUser } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { CreateUserBody, UpdateUserBody } from "./schemas.js";
import { parseJsonBody } from "./validate.js";

/** /api/users: the JSON twin of the /users page, admins only. */
export function userApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.use(requireRole("admin"));
  const actor = (c: { get(key: "session"): { user: { username: string } } }) =>
    c.get("session").user.username;

  app.get("/", async (c) => c.json({ users: await listUsers(ctx) }));

  app.post("/", async (c) => {
    const body = await parseJsonBody(c, CreateUserBody);
    return c.json({ user: await createUser(ctx, actor(c), body) }, 201);
  });

  app.patch("/:id", async (c) => {
    const body = await parseJsonBody(c, UpdateUserBody);
    return c.json({ user: await updateUser(ctx, actor(c), c.req.param("id"), body) });
  });

  app.post("/:id/revoke-sessions", async (c) => {
    const revoked = await revokeUserSessions(ctx, actor(c), c.req.param("id"));
    return c.json({ revoked });
  });

  return app;
}
