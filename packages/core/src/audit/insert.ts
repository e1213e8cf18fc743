import { sql } from "drizzle-orm";
import { sqlStateOf } from "../db/errors.js";
import { sanitizeText } from "./redact.js";
import type { AuditRow } from "./row.js";

/**
 * One statement with one json parameter for the whole batch, the rows' JSON texts (`AuditRow`s)
 * joined. drizzle's multi-row `values()` binds nine parameters a row and checks each; this costs
 * about a third as much, which matters when the embedded database shares the event loop with the
 * tool calls. `json`, not `jsonb`: read once, it need not be converted first (a quarter cheaper).
 */
export function insertBatch(rows: readonly string[]) {
  return sql`insert into audit_log (at, tool, principal, transport, session_id, duration_ms, outcome, error, arguments, tool_version)
    select at, tool, principal, transport, session_id, duration_ms, outcome, error, arguments, tool_version
    from json_to_recordset(${`[${rows.join(",")}]`}::json) as r(
      at timestamptz, tool text, principal text, transport text, session_id text,
      duration_ms integer, outcome text, error text, arguments jsonb, tool_version text)`;
}

// SQLSTATE classes in which the database answered and refused what it was sent: data exceptions,
// integrity constraints, program limits. Writing the same rows again would fail the same way.
const REFUSAL_CLASSES = new Set(["22", "23", "54"]);

/** Whether the database refused the rows themselves, as opposed to being unreachable or busy. */
export function isRefusal(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code !== undefined && REFUSAL_CLASSES.has(code.slice(0, 2));
}

/** The row's JSON with its arguments replaced by a marker that says why they are missing. */
export function withArgumentsRefused(json: string, error: unknown): string {
  const code = sqlStateOf(error) ?? "unknown";
  const reason = sanitizeText(driverMessage(error), 300);
  const row = JSON.parse(json) as AuditRow;
  return JSON.stringify({
    ...row,
    arguments: { "[not stored]": `the database refused this row (${code}: ${reason})` },
  });
}

// The driver's own message, under drizzle's "Failed query" wrapper (which quotes every parameter).
function driverMessage(error: unknown): string {
  let message = "";
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}
