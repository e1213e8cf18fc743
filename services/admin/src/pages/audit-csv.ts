import { type Db, listToolCalls, type ToolCallFilter, type ToolCallRecord } from "@mcp-tools/core";

const HEADER = [
  "id",
  "at",
  "tool",
  "principal",
  "transport",
  "session_id",
  "duration_ms",
  "outcome",
  "error",
  "arguments",
];

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would read as a formula (= + - @, or a leading
 * tab or carriage return) gets a leading apostrophe: OWASP "CSV injection".
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

function recordRow(row: ToolCallRecord): string {
  return csvRow([
    row.id,
    row.at.toISOString(),
    row.tool,
    row.principal,
    row.transport,
    row.sessionId,
    row.durationMs,
    row.outcome,
    row.error,
    row.arguments === null ? "" : JSON.stringify(row.arguments),
  ]);
}

/** The filtered log as CSV, read a page at a time so a large export never sits in memory whole. */
export function auditCsvStream(db: Db, filter: ToolCallFilter, pageSize = 1_000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: number | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRow(HEADER)));
      }
      const page = await listToolCalls(db, filter, { before, limit: pageSize });
      if (page.rows.length > 0) controller.enqueue(encoder.encode(page.rows.map(recordRow).join("")));
      if (page.next === undefined) controller.close();
      before = page.next;
    },
  });
}
