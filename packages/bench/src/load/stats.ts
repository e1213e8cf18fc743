/** Latency summary of one measured run, in milliseconds. */
export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  /** The tail that event-loop stalls (a batch insert, a GC) show up in first. */
  p999Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile (`q` in 0..1) of unsorted samples; NaN when there are none. */
export function percentile(samples: ArrayLike<number>, q: number): number {
  return ranked(Float64Array.from(samples).sort(), q);
}

export function summarizeLatency(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50Ms: ranked(sorted, 0.5),
    p99Ms: ranked(sorted, 0.99),
    p999Ms: ranked(sorted, 0.999),
    maxMs: ranked(sorted, 1),
  };
}

function ranked(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The middle value, or the mean of the two middle values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
