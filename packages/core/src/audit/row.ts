import { sanitizeArguments, sanitizeText } from "./redact.js";

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

/** An audit_log row as the batch insert reads it (json_to_recordset), every string well-formed. */
export interface AuditRow {
  /** ISO 8601. */
  at: string;
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

/**
 * A row waiting in the queue, as the JSON text the insert sends, with an estimate of the memory it
 * holds. Text rather than the row's objects: a row waits up to a flush interval, long enough to
 * outlive the young generation, and the collector copies and marks one string far more cheaply
 * than the objects of a row and its arguments' copy (a stdio call's CPU fell by about a tenth).
 */
export interface QueuedRow {
  json: string;
  bytes: number;
  /** Its arguments were replaced by a marker after the database refused the row. */
  marked?: true;
}

const MAX_NAME = 200;
// The string's header and the queue's entry for it.
const ROW_OVERHEAD_BYTES = 64;
const INT4_MAX = 2 ** 31 - 1;

/** Sanitizes an entry into the row that will be written, so the queue never holds raw arguments. */
export function toQueuedRow(entry: AuditEntry): QueuedRow {
  const row: AuditRow = {
    at: (Number.isNaN(entry.at.getTime()) ? new Date() : entry.at).toISOString(),
    tool: sanitizeText(entry.tool, MAX_NAME),
    principal: sanitizeText(entry.principal, MAX_NAME),
    transport: sanitizeText(entry.transport, MAX_NAME),
    session_id: entry.sessionId === undefined ? null : sanitizeText(entry.sessionId, MAX_NAME),
    // duration_ms is an int4: a value past it would have the row refused.
    duration_ms: Math.min(INT4_MAX, Math.max(0, Math.round(entry.durationMs) || 0)),
    outcome: entry.outcome,
    error: entry.error === undefined ? null : sanitizeText(entry.error),
    arguments: sanitizeArguments(entry.arguments) ?? null,
    tool_version: entry.toolVersion === undefined ? null : sanitizeText(entry.toolVersion, MAX_NAME),
  };
  const json = JSON.stringify(row);
  // UTF-16 at most: two bytes a character.
  return { json, bytes: ROW_OVERHEAD_BYTES + 2 * json.length };
}
