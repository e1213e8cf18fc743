import pino, { type Logger } from "pino";
import { describeError, serializeError } from "./errors.js";

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

/** A pino JSON logger on stderr with secrets redacted, and query parameters kept out of errors. */
export function createLogger({ level = "info", destination }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
      hooks: {
        // Without a message pino would use the error's own, query parameters and all.
        logMethod(args, method) {
          const [first] = args;
          if (args.length !== 1 || typeof first !== "object" || first === null || "msg" in first)
            return method.apply(this, args);
          const error = first instanceof Error ? first : (first as { err?: unknown }).err;
          if (error instanceof Error) return method.call(this, first, describeError(error));
          return method.apply(this, args);
        },
      },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
