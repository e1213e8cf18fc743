import { type AppContext, AppError, getToolCall, listAdminActions, listToolCalls } from "@mcp-tools/core";
import { Hono } from "hono";
import { cursor, parseAuditQuery } from "../api/audit-filter.js";
import type { AdminEnv } from "../env.js";
import { auditCsvStream } from "./audit-csv.js";
import { AdminAuditPage, AuditDetailPage, AuditPage } from "./audit-view.js";

/** /audit (tool calls), /audit/:id, /audit.csv and /audit/admin; mounted at the root. */
export function auditPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get("/audit", async (c) => {
    const { filter, page } = parseAuditQuery((name) => c.req.query(name));
    const { rows, next } = await listToolCalls(ctx.db.db, filter, page);
    const tools = ctx.tools.all().map((tool) => tool.name);
    return c.html(
      <AuditPage session={c.get("session")} filter={filter} rows={rows} next={next} tools={tools} />,
    );
  });

  app.get("/audit.csv", (c) => {
    const { filter } = parseAuditQuery((name) => c.req.query(name));
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(auditCsvStream(ctx.db.db, filter), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${stamp}.csv"`,
      "cache-control": "no-store",
    });
  });

  app.get("/audit/admin", async (c) => {
    const { rows, next } = await listAdminActions(ctx.db.db, { before: cursor(c.req.query("before")) });
    return c.html(<AdminAuditPage session={c.get("session")} rows={rows} next={next} />);
  });

  app.get("/audit/:id{[0-9]+}", async (c) => {
    const row = await getToolCall(ctx.db.db, Number(c.req.param("id")));
    if (!row) throw new AppError("NOT_FOUND", `No tool call ${c.req.param("id")}`);
    return c.html(<AuditDetailPage session={c.get("session")} row={row} />);
  });
  return app;
}
