import { Writable } from "node:stream";
import { createLogger, type Logger } from "../log/log.js";

/** A real logger writing its JSON lines to memory, for tests to read what would reach stderr. */
export interface CapturedLog {
  log: Logger;
  /** Every line written so far. */
  text(): string;
}

/** Our logger (serializers, redaction and all) writing to memory instead of stderr. */
export function captureLog(level = "debug"): CapturedLog {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ level, destination }), text: () => chunks.join("") };
}
