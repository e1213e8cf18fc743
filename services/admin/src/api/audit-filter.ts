import { z } from "@hono/zod-openapi";
import type { PageRequest, ToolCallFilter } from "@mcp-tools/core";
import { invalidInput } from "./invalid-input.js";
import { trimmedParam } from "./query.js";

/** The outcomes a tool call can have, for the filter's choices. */
export const OUTCOMES = [
  "ok",
  "error",
  "invalid",
  "timeout",
  "cancelled",
  "denied",
  "rate_limited",
  "input_required",
] as const;

export type AuditQuery = { filter: ToolCallFilter; page: PageRequest };

type Query = (name: string) => string | undefined;

const positive = { error: "must be a positive whole number" };
const Before = trimmedParam(z.coerce.number(positive).int(positive).min(1, positive).optional()).openapi({
  description: "The `next` of the previous page",
});

// ISO 8601; a time without a zone is UTC, as the form says.
const When = trimmedParam(z.string().optional())
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const date = new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`);
    if (!Number.isNaN(date.getTime())) return date;
    ctx.addIssue({ code: "custom", message: "not a date and time such as 2026-01-31T09:00", input: value });
    return z.NEVER;
  })
  .openapi({ format: "date-time", description: "Without a zone, UTC" });

/** GET /api/audit and the /audit page: the tool-call filters, each optional, and the paging cursor. */
export const ToolCallQuery = z.object({
  tool: trimmedParam(z.string().optional()),
  principal: trimmedParam(z.string().optional()).openapi({ description: "e.g. user:ann, key:<prefix>" }),
  outcome: trimmedParam(z.enum(OUTCOMES, { error: `must be one of ${OUTCOMES.join(", ")}` }).optional()),
  from: When,
  to: When,
  before: Before,
});
export type ToolCallQuery = z.infer<typeof ToolCallQuery>;

/** GET /api/audit/admin and /audit/admin: the paging cursor. */
export const AdminActionQuery = z.object({ before: Before });

/** The filter and page a parsed ToolCallQuery asks for. */
export function auditQueryOf({ before, ...filter }: ToolCallQuery): AuditQuery {
  return { filter, page: { before } };
}

/** Reads the audit filters from a page's query string, refusing a bad one as the API does. */
export function parseAuditQuery(query: Query): AuditQuery {
  const fields = Object.keys(ToolCallQuery.shape).map((name) => [name, query(name)]);
  const parsed = ToolCallQuery.safeParse(Object.fromEntries(fields));
  if (!parsed.success) throw invalidInput(parsed.error);
  return auditQueryOf(parsed.data);
}

/** The paging cursor of a page's query string. */
export function cursor(value: string | undefined): number | undefined {
  const parsed = AdminActionQuery.safeParse({ before: value });
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data.before;
}

/** The filter as query parameters, for links to the next page and to the CSV export. */
export function filterParams(filter: ToolCallFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value instanceof Date) params.set(name, value.toISOString());
    else if (typeof value === "string") params.set(name, value);
  }
  return params;
}
