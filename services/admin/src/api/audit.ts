import { type AppContext, listAdminActions, listToolCalls } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { cursor, parseAuditQuery } from "./audit-filter.js";

/** /api/audit: the tool-call log with the same filters as /audit, and the admin actions log. */
export function auditApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", async (c) => {
    const { filter, page } = parseAuditQuery((name) => c.req.query(name));
    const { rows, next } = await listToolCalls(ctx.db.db, filter, page);
    return c.json({ calls: rows, next: next ?? null });
  });

  app.get("/admin", async (c) => {
    const { rows, next } = await listAdminActions(ctx.db.db, { before: cursor(c.req.query("before")) });
    return c.json({ actions: rows, next: next ?? null });
  });
  return app;
}
