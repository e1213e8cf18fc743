/** The counter each replica keeps of the requests it relayed to the replica holding their session. */
export const RELAYED_METRIC = "mcp_relayed_requests_total";

/**
 * The sum of every sample of counter `name` (all label sets) in a Prometheus text exposition; 0 when
 * it has none yet (prom-client prints a labelled counter's samples only once one is counted).
 */
export function sumCounter(exposition: string, name: string): number {
  let sum = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^(\S+?)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== name) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) throw new Error(`Bad sample for ${name}: ${line}`);
    sum += value;
  }
  return sum;
}

export interface Crossings {
  /** Requests the replicas relayed between the two readings, summed over replicas and outcomes. */
  relayed: number;
  /** Requests the clients sent between the two readings, each carrying a session id. */
  calls: number;
  /** relayed / calls: the share of requests that reached a replica not holding their session. */
  share: number;
}

/** Crossings between two readings of the counter, one value per replica in the same order. */
export function countCrossings(
  before: readonly number[],
  after: readonly number[],
  calls: number,
): Crossings {
  if (before.length !== after.length) throw new Error("Counter readings of different replicas");
  const relayed = after.reduce((sum, value, index) => {
    const grew = value - (before[index] ?? 0);
    // A counter only grows within one process's life: anything else means a replica restarted.
    if (grew < 0) throw new Error(`${RELAYED_METRIC} went down on replica ${index + 1}`);
    return sum + grew;
  }, 0);
  return { relayed, calls, share: calls === 0 ? Number.NaN : relayed / calls };
}
