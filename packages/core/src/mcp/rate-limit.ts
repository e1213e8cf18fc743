import type { Bus } from "../bus/bus.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log/log.js";

const WINDOW_MS = 60_000;

/** JSON-RPC code of a refused call: implementation-defined server error range (-32000 to -32099). */
export const RATE_LIMITED_CODE = -32029;

export interface RateLimit {
  /** The counter's name: `key:<id>` or `tool:<name>`. */
  subject: string;
  /** Calls allowed per minute. */
  perMinute: number;
  /** How the refusal names what was limited, e.g. "API key mcpt_ab12cd34". */
  label: string;
}

/**
 * Counts one call against each limit in a fixed one-minute window shared through the bus, so the
 * limit holds across processes. A fixed window can let up to twice the limit through around a
 * window boundary: one INCR per call is worth that for "calls per minute". Throws a RATE_LIMITED AppError saying when to retry once a limit is reached.
 */
export async function enforceRateLimits(
  bus: Bus,
  log: Pick<Logger, "warn">,
  limits: readonly RateLimit[],
  now = Date.now(),
): Promise<void> {
  const window = Math.floor(now / WINDOW_MS);
  for (const limit of limits) {
    // Fails open: while the bus is unreachable a quota cannot be counted, and refusing every limited
    // call would turn a Redis outage into a tool outage.
    const count = await bus
      .increment(`ratelimit:${limit.subject}:${window}`, WINDOW_MS)
      .catch((error: unknown) => {
        log.warn({ err: error, subject: limit.subject }, "rate limit not counted: bus unreachable");
        return 0;
      });
    if (count <= limit.perMinute) continue;
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1_000));
    throw new AppError(
      "RATE_LIMITED",
      `Rate limit of ${limit.perMinute} calls per minute reached for ${limit.label}; retry in ${retryAfterSeconds} s`,
      { details: { retryAfterSeconds } },
    );
  }
}

/** True for the error `enforceRateLimits` throws. */
export const isRateLimited = (error: unknown): error is AppError =>
  error instanceof AppError && error.code === "RATE_LIMITED";
