import { and, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { adminAudit, auditLog } from "../db/schema.js";

/** One tool call as the audit log holds it. */
export type ToolCallRecord = typeof auditLog.$inferSelect;
/** One change made by a person, with the state before and after. */
export type AdminActionRecord = typeof adminAudit.$inferSelect;

/** Narrows the tool-call log; every field is optional and they combine with AND. */
export interface ToolCallFilter {
  tool?: string | undefined;
  /** Exact principal id: `user:ann`, `key:<prefix>`, `local`, `anonymous`. */
  principal?: string | undefined;
  outcome?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** A keyset page: rows newest first, `before` the id of the last row seen. */
export interface PageRequest {
  before?: number | undefined;
  limit?: number | undefined;
}

export interface Page<T> {
  rows: T[];
  /** The `before` of the next page; undefined on the last one. */
  next: number | undefined;
}

export const DEFAULT_PAGE_SIZE = 50;

// Paging by id rather than `at`: ids are unique, so no row is skipped or repeated at a page edge.
async function keysetPage<T extends { id: number }>(
  fetch: (limit: number) => Promise<T[]>,
  limit: number,
): Promise<Page<T>> {
  const rows = await fetch(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, next: more ? page.at(-1)?.id : undefined };
}

function toolCallWhere(filter: ToolCallFilter, before?: number): SQL | undefined {
  return and(
    filter.tool ? eq(auditLog.tool, filter.tool) : undefined,
    filter.principal ? eq(auditLog.principal, filter.principal) : undefined,
    filter.outcome ? eq(auditLog.outcome, filter.outcome) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lte(auditLog.at, filter.to) : undefined,
    before !== undefined ? lt(auditLog.id, before) : undefined,
  );
}

/** Tool calls matching the filter, newest first. */
export function listToolCalls(
  db: Db,
  filter: ToolCallFilter = {},
  { before, limit = DEFAULT_PAGE_SIZE }: PageRequest = {},
): Promise<Page<ToolCallRecord>> {
  return keysetPage(
    (n) =>
      db.select().from(auditLog).where(toolCallWhere(filter, before)).orderBy(desc(auditLog.id)).limit(n),
    limit,
  );
}

/** One tool call, or undefined. */
export async function getToolCall(db: Db, id: number): Promise<ToolCallRecord | undefined> {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  const [row] = await db.select().from(auditLog).where(eq(auditLog.id, id)).limit(1);
  return row;
}

/** Admin actions, newest first. */
export function listAdminActions(
  db: Db,
  { before, limit = DEFAULT_PAGE_SIZE }: PageRequest = {},
): Promise<Page<AdminActionRecord>> {
  return keysetPage(
    (n) =>
      db
        .select()
        .from(adminAudit)
        .where(before !== undefined ? lt(adminAudit.id, before) : undefined)
        .orderBy(desc(adminAudit.id))
        .limit(n),
    limit,
  );
}

/** Calls, failures and p95 duration of one tool over a window. */
export interface ToolCallStats {
  calls: number;
  /** Calls whose outcome was not `ok`, over all calls; 0 without calls. */
  errorRate: number;
  /** Milliseconds; null without calls. */
  p95Ms: number | null;
}

/** Per-tool stats of the calls since `since`, in one aggregate over the audit log. */
export async function toolCallStats(db: Db, since: Date): Promise<Map<string, ToolCallStats>> {
  const rows = await db
    .select({
      tool: auditLog.tool,
      calls: sql<number>`count(*)::int`,
      errors: sql<number>`(count(*) filter (where ${auditLog.outcome} <> 'ok'))::int`,
      p95: sql<number | null>`percentile_cont(0.95) within group (order by ${auditLog.durationMs})`,
    })
    .from(auditLog)
    .where(gte(auditLog.at, since))
    .groupBy(auditLog.tool);
  return new Map(
    rows.map((row) => [
      row.tool,
      {
        calls: Number(row.calls),
        errorRate: row.calls > 0 ? Number(row.errors) / Number(row.calls) : 0,
        p95Ms: row.p95 === null ? null : Math.round(Number(row.p95)),
      },
    ]),
  );
}
