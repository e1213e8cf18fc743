import { type LoadResult, MAX_ERRORS, type Timing } from "./closed-loop.js";
import { summarizeLatency } from "./stats.js";

/** The latencies of one kind of call in an interleaved run; its rate and CPU are not its own. */
export type LatencyRun = Pick<LoadResult, "calls" | "errors" | "p50Ms" | "p99Ms" | "p999Ms" | "maxMs">;

/**
 * One client, one call in flight, taking the kinds of call in turn (each turn starting one kind
 * later, so each follows every other alike) through a warm-up and a measured window; a call counts
 * when it finishes inside the window. Every kind meets the same machine at the same moments:
 * what others run on a shared machine moves them together, and a difference of their latencies
 * keeps its meaning.
 */
export async function runInterleaved<K extends string>(
  calls: Record<K, () => Promise<void>>,
  { warmupMs, durationMs }: Timing,
): Promise<Record<K, LatencyRun>> {
  const kinds = Object.keys(calls) as K[];
  const samples = new Map(kinds.map((kind) => [kind, [] as number[]]));
  const errors = new Map(kinds.map((kind) => [kind, 0]));
  let failed = 0;
  let lastError: unknown;
  const windowStart = performance.now() + warmupMs;
  const windowEnd = windowStart + durationMs;
  for (let turn = 0; performance.now() < windowEnd; turn += 1) {
    for (let step = 0; step < kinds.length; step += 1) {
      const kind = kinds[(turn + step) % kinds.length] as K;
      const begin = performance.now();
      if (begin >= windowEnd) break;
      try {
        await calls[kind]();
      } catch (error) {
        errors.set(kind, (errors.get(kind) ?? 0) + 1);
        lastError = error;
        failed += 1;
        if (failed >= MAX_ERRORS)
          throw new Error(`Run aborted after ${failed} failed calls`, { cause: lastError });
        continue;
      }
      const end = performance.now();
      if (end >= windowStart && end <= windowEnd) samples.get(kind)?.push(end - begin);
    }
  }
  const runs = {} as Record<K, LatencyRun>;
  for (const kind of kinds) {
    const kept = samples.get(kind) ?? [];
    runs[kind] = { calls: kept.length, errors: errors.get(kind) ?? 0, ...summarizeLatency(kept) };
  }
  return runs;
}
