import { sanitizeArgumentsSized, sanitizeText } from "./redact.js";

/** What the call wrapper knows about a finished tool call. */
export interface AuditEntry {
  at: Date;
  tool: string;
  principal: string;
  transport: string;
  sessionId?: string | undefined;
  durationMs: number;
  outcome:
    | "ok"
    | "error"
    | "invalid"
    | "timeout"
    | "cancelled"
    | "denied"
    | "rate_limited"
    | "input_required";
  error?: string | undefined;
  /** Raw arguments; the queue keeps only a sanitized copy. */
  arguments: unknown;
  /** The hash of the tool version that ran. */
  toolVersion?: string | undefined;
}

/** An audit_log row as the batch insert reads it (jsonb_to_recordset), every string well-formed. */
export interface AuditRow {
  at: Date;
  tool: string;
  principal: string;
  transport: string;
  session_id: string | null;
  duration_ms: number;
  outcome: string;
  error: string | null;
  arguments: unknown;
  tool_version: string | null;
}

/** A row waiting in the queue, with an estimate of the memory it holds. */
export interface QueuedRow {
  row: AuditRow;
  bytes: number;
  /** Its arguments were replaced by a marker after the database refused the row. */
  marked?: true;
}

const MAX_NAME = 200;
// Object headers, the Date and the fields of a row; a value of the copy costs about as much again.
const ROW_OVERHEAD_BYTES = 400;
const VALUE_BYTES = 40;
const INT4_MAX = 2 ** 31 - 1;

/** Sanitizes an entry into the row that will be written, so the queue never holds raw arguments. */
export function toQueuedRow(entry: AuditEntry): QueuedRow {
  const args = sanitizeArgumentsSized(entry.arguments);
  const row: AuditRow = {
    at: Number.isNaN(entry.at.getTime()) ? new Date() : entry.at,
    tool: sanitizeText(entry.tool, MAX_NAME),
    principal: sanitizeText(entry.principal, MAX_NAME),
    transport: sanitizeText(entry.transport, MAX_NAME),
    session_id: entry.sessionId === undefined ? null : sanitizeText(entry.sessionId, MAX_NAME),
    // duration_ms is an int4: a value past it would have the row refused.
    duration_ms: Math.min(INT4_MAX, Math.max(0, Math.round(entry.durationMs) || 0)),
    outcome: entry.outcome,
    error: entry.error === undefined ? null : sanitizeText(entry.error),
    arguments: args.value ?? null,
    tool_version: entry.toolVersion === undefined ? null : sanitizeText(entry.toolVersion, MAX_NAME),
  };
  const chars =
    row.tool.length +
    row.principal.length +
    row.transport.length +
    (row.session_id?.length ?? 0) +
    (row.error?.length ?? 0) +
    (row.tool_version?.length ?? 0) +
    args.chars;
  // UTF-16 in memory: two bytes a character.
  return { row, bytes: ROW_OVERHEAD_BYTES + VALUE_BYTES * args.values + 2 * chars };
}
