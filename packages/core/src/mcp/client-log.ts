import type { LoggingLevel } from "@modelcontextprotocol/sdk/types.js";

export type { LoggingLevel };

/** The syslog severities MCP uses (RFC 5424), least severe first. */
export const LOGGING_LEVELS: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

const severity = new Map(LOGGING_LEVELS.map((level, index) => [level, index]));

export const isLoggingLevel = (value: unknown): value is LoggingLevel =>
  typeof value === "string" && severity.has(value as LoggingLevel);

/** Whether a message of `level` goes to a client that asked for `minimum` and above. */
export const reaches = (level: LoggingLevel, minimum: LoggingLevel): boolean =>
  (severity.get(level) ?? 0) >= (severity.get(minimum) ?? 0);

/** One log message for the client, as `notifications/message` carries it. */
export interface ClientLogMessage {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

/** Sends a call's log messages to its client: given by the edge only when the client asked for them. */
export type ClientLogSink = (message: ClientLogMessage) => void;

// A message is meant for a person reading a client's log pane: one bigger than this is cut to a
// note saying so, so that no tool can push megabytes through a client's notifications.
const MAX_DATA_BYTES = 16 * 1024;

/** The message's data as it is sent: JSON-safe, and bounded. */
export function boundedData(data: unknown): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch {
    return "[a value that cannot be sent as JSON]";
  }
  if (json === undefined) return null;
  if (Buffer.byteLength(json) <= MAX_DATA_BYTES) return JSON.parse(json);
  return `[${Buffer.byteLength(json)} bytes of log data, over the ${MAX_DATA_BYTES}-byte limit]`;
}
