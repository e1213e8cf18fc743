import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, listAdminActions, listToolCalls } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { AdminActionQuery, auditQueryOf, ToolCallQuery } from "./audit-filter.js";
import { json, refused } from "./responses.js";

const stamp = z.string().openapi({ format: "date-time" });
const next = z
  .number()
  .int()
  .nullable()
  .openapi({ description: "Pass it as `before` for the following page" });
const ToolCall = z.object({
  id: z.number().int(),
  at: stamp,
  tool: z.string(),
  principal: z.string(),
  transport: z.string(),
  sessionId: z.string().nullable(),
  durationMs: z.number().int(),
  outcome: z.string(),
  error: z.string().nullable(),
  arguments: z.unknown().openapi({ description: "As called, with secrets redacted" }),
  toolVersion: z.string().nullable(),
});
const AdminAction = z.object({
  id: z.number().int(),
  at: stamp,
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

const toolCalls = createRoute({
  method: "get",
  path: "/",
  summary: "Tool calls, newest first, 50 a page",
  request: { query: ToolCallQuery },
  responses: { 200: json(z.object({ calls: z.array(ToolCall), next }), "A page"), ...refused },
});

const adminActions = createRoute({
  method: "get",
  path: "/admin",
  summary: "Admin actions (who changed which tool, key or user), newest first, 50 a page",
  request: { query: AdminActionQuery },
  responses: { 200: json(z.object({ actions: z.array(AdminAction), next }), "A page"), ...refused },
});

/** /api/audit: the tool-call log with the same filters as /audit, and the admin actions log. */
export function auditApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(toolCalls, async (c) => {
    const { filter, page } = auditQueryOf(c.req.valid("query"));
    const { rows, next } = await listToolCalls(ctx.db.db, filter, page);
    return c.json({ calls: rows, next: next ?? null }, 200);
  });

  app.openapi(adminActions, async (c) => {
    const { rows, next } = await listAdminActions(ctx.db.db, c.req.valid("query"));
    return c.json({ actions: rows, next: next ?? null }, 200);
  });
  return app;
}
