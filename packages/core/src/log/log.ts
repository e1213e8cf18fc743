import pino, { type Logger } from "pino";

export type { Logger };

// Secret-bearing fields wherever they appear in a log object, up to three levels deep.
const secretKeys = [
  "authorization",
  "cookie",
  "set-cookie",
  "password",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "api_key",
  "secret",
  "x-api-key",
];
const redactPaths = secretKeys.flatMap((key) => [
  `["${key}"]`,
  `*["${key}"]`,
  `*.*["${key}"]`,
  `*.*.*["${key}"]`,
]);

export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; stderr by default because stdout belongs to the stdio protocol. */
  destination?: pino.DestinationStream;
}

/** A pino JSON logger on stderr with secrets redacted. */
export function createLogger({ level = "info", destination }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
