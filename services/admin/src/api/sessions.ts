import { type AppContext, listSessions, terminateSession } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";

/** /api/sessions: the MCP sessions open in every process; operators and admins may end one. */
export function sessionApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get("/", async (c) => c.json({ sessions: await listSessions(ctx.bus) }));

  // 202: the owning process closes the session when the request reaches it over the bus.
  app.post("/:id/terminate", requireRole("operator", "admin"), async (c) => {
    const session = await terminateSession(ctx, c.get("session").user.username, c.req.param("id"));
    return c.json(
      { terminating: { id: session.id, transport: session.transport, processId: session.processId } },
      202,
    );
  });

  return app;
}
