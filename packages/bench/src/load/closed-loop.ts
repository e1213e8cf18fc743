import { type LatencySummary, summarizeLatency } from "./stats.js";

export interface Timing {
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult extends LatencySummary {
  calls: number;
  errors: number;
  seconds: number;
  callsPerSecond: number;
  /** The server's CPU time per counted call, in µs; NaN when it could not be read. */
  serverCpuUsPerCall: number;
  /** The part of it on the server's main thread (its event loop); NaN when not read. */
  serverMainThreadCpuUsPerCall: number;
  /** The load generator's own CPU time per call, in µs: it must stay well below the server's. */
  clientCpuUsPerCall: number;
}

export interface LoadOptions extends Timing {
  /** Reads the server's cumulative CPU time (ms), sampled as the window opens and closes. */
  serverCpuMs?: () => Promise<number | undefined>;
  /** The same for the server's main thread alone. */
  serverMainThreadCpuMs?: () => Promise<number | undefined>;
}

/** A run stops early once this many calls have failed: the figures would mean nothing. */
export const MAX_ERRORS = 20;

/**
 * Runs each worker in a closed loop (one call in flight per worker) through a warm-up and then a
 * measured window; a call counts (and its latency is kept) when it finishes inside the window.
 */
export async function runClosedLoop(
  workers: readonly (() => Promise<void>)[],
  {
    warmupMs,
    durationMs,
    serverCpuMs = async () => undefined,
    serverMainThreadCpuMs = async () => undefined,
  }: LoadOptions,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let lastError: unknown;
  const started = performance.now();
  const windowStart = started + warmupMs;
  const windowEnd = windowStart + durationMs;
  const cpuStart = sampleAt(warmupMs, serverCpuMs);
  const cpuEnd = sampleAt(warmupMs + durationMs, serverCpuMs);
  const mainStart = sampleAt(warmupMs, serverMainThreadCpuMs);
  const mainEnd = sampleAt(warmupMs + durationMs, serverMainThreadCpuMs);
  const clientCpu = async () => process.cpuUsage();
  const clientStart = sampleAt(warmupMs, clientCpu);
  const clientEnd = sampleAt(warmupMs + durationMs, clientCpu);

  async function loop(call: () => Promise<void>) {
    while (errors < MAX_ERRORS) {
      const begin = performance.now();
      if (begin >= windowEnd) return;
      try {
        await call();
      } catch (error) {
        errors += 1;
        lastError = error;
        continue;
      }
      const end = performance.now();
      if (end >= windowStart && end <= windowEnd) latencies.push(end - begin);
    }
  }

  await Promise.all(workers.map(loop));
  if (errors >= MAX_ERRORS) {
    for (const sample of [cpuStart, cpuEnd, mainStart, mainEnd, clientStart, clientEnd]) sample.cancel();
    throw new Error(`Run aborted after ${errors} failed calls`, { cause: lastError });
  }
  const cpuMs = elapsed(await Promise.all([cpuStart.now(), cpuEnd.now()]));
  const mainMs = elapsed(await Promise.all([mainStart.now(), mainEnd.now()]));
  const [clientAtStart, clientAtEnd] = await Promise.all([clientStart.now(), clientEnd.now()]);
  const clientUs = clientAtEnd.user - clientAtStart.user + clientAtEnd.system - clientAtStart.system;
  const seconds = durationMs / 1_000;
  return {
    calls: latencies.length,
    errors,
    seconds,
    callsPerSecond: latencies.length / seconds,
    serverCpuUsPerCall: (cpuMs * 1_000) / latencies.length,
    serverMainThreadCpuUsPerCall: (mainMs * 1_000) / latencies.length,
    clientCpuUsPerCall: clientUs / latencies.length,
    ...summarizeLatency(latencies),
  };
}

const elapsed = ([start, end]: (number | undefined)[]) =>
  start === undefined || end === undefined ? Number.NaN : end - start;

/** Samples `read` after `ms`; `now()` returns that sample, or takes it at once if the time has not come. */
function sampleAt<T>(ms: number, read: () => Promise<T>) {
  let sample: Promise<T> | undefined;
  const timer = setTimeout(() => {
    sample = read();
  }, ms);
  return {
    now(): Promise<T> {
      clearTimeout(timer);
      sample ??= read();
      return sample;
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}
