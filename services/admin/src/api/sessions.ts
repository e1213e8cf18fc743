import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, listSessions, terminateSession } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { createApiApp } from "./api-app.js";
import { csrfHeader, failure, json, refused, unauthorized } from "./responses.js";

const Session = z.object({
  id: z.string().openapi({ description: "A hash of the session id, never the id itself" }),
  transport: z.string(),
  principal: z.string(),
  startedAt: z.string().openapi({ format: "date-time" }),
  lastActivityAt: z.string().openapi({ format: "date-time" }),
  terminable: z.boolean().openapi({ description: "False for stdio, which ends when its client closes it" }),
  processId: z.string(),
  host: z.string(),
  pid: z.number().int(),
});

const list = createRoute({
  method: "get",
  path: "/",
  summary: "Open MCP sessions of every process, most recently active first",
  responses: { 200: json(z.object({ sessions: z.array(Session) }), "OK"), ...unauthorized },
});

const terminate = createRoute({
  method: "post",
  path: "/{id}/terminate",
  summary: "End an MCP session (operator, admin); the process holding it closes it within moments",
  middleware: [requireRole("operator", "admin")] as const,
  parameters: [csrfHeader],
  request: {
    params: z.object({
      id: z.string().openapi({ description: "The session's id as GET /api/sessions lists it" }),
    }),
  },
  responses: {
    202: json(
      z.object({ terminating: Session.pick({ id: true, transport: true, processId: true }) }),
      "The process holding the session was asked to close it",
    ),
    ...refused,
    404: failure("No open session with this id"),
    409: failure("A stdio session, which ends only when its client closes it"),
  },
});

/** /api/sessions: the MCP sessions open in every process; operators and admins may end one. */
export function sessionApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(list, async (c) => c.json({ sessions: await listSessions(ctx.bus) }, 200));

  // 202: the owning process closes the session when the request reaches it over the bus.
  app.openapi(terminate, async (c) => {
    const actor = c.get("session").user.username;
    const session = await terminateSession(ctx, actor, c.req.valid("param").id);
    return c.json(
      { terminating: { id: session.id, transport: session.transport, processId: session.processId } },
      202,
    );
  });
  return app;
}
