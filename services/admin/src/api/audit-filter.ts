import { AppError, type PageRequest, type ToolCallFilter } from "@mcp-tools/core";

/** The outcomes a tool call can have, for the filter's choices. */
export const OUTCOMES = ["ok", "error", "invalid", "timeout", "cancelled", "denied", "rate_limited"] as const;

export type AuditQuery = { filter: ToolCallFilter; page: PageRequest };

type Query = (name: string) => string | undefined;

/**
 * Reads the audit filters from a query string: tool, principal, outcome, from, to (ISO 8601; a
 * time without a zone is UTC, as the form says) and before (the paging cursor).
 */
export function parseAuditQuery(query: Query): AuditQuery {
  const text = (name: string) => query(name)?.trim() || undefined;
  const outcome = text("outcome");
  if (outcome && !(OUTCOMES as readonly string[]).includes(outcome))
    throw new AppError("INVALID", `outcome: must be one of ${OUTCOMES.join(", ")}`, {
      details: { field: "outcome" },
    });
  return {
    filter: {
      tool: text("tool"),
      principal: text("principal"),
      outcome,
      from: time(text("from"), "from"),
      to: time(text("to"), "to"),
    },
    page: { before: cursor(text("before")) },
  };
}

function time(value: string | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  if (Number.isNaN(date.getTime()))
    throw new AppError("INVALID", `${field}: not a date and time such as 2026-01-31T09:00`, {
      details: { field },
    });
  return date;
}

export function cursor(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new AppError("INVALID", "before: must be a positive whole number", {
      details: { field: "before" },
    });
  return id;
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
