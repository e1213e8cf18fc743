import type { LoadResult } from "./load/closed-loop.js";
import type { Crossings } from "./load/crossings.js";
import { median } from "./load/stats.js";
import { summarize, type Target } from "./results.js";

/**
 * `single`: one replica, no nginx. The others go through nginx: `round-robin` as shipped,
 * `session-hash` hashing on the session id, `client-affinity` hashing on a stable client id.
 */
export type TopologyId = "single" | "round-robin" | "session-hash" | "client-affinity";
export type ClusterScenarioId = "cluster-mcp" | "cluster-sse" | "cluster-modern";

/** The topology the round-robin targets compare with: the one that keeps sessions at home. */
export const STICKY: TopologyId = "client-affinity";
/**
 * Round-robin throughput at least this share of client affinity's: a 2025-era session or an SSE
 * stream lives on one replica, so requests that land elsewhere are relayed; 2026-07-28 requests
 * carry no session, so any replica answers them and round-robin should cost next to nothing.
 */
export const ROUND_ROBIN_TARGETS: Record<ClusterScenarioId, number> = {
  "cluster-mcp": 0.7,
  "cluster-sse": 0.7,
  "cluster-modern": 0.9,
};

export interface ErrorSample {
  message: string;
  count: number;
}

/** One run of 32 clients (sessions, on /mcp 2025 and /sse) against one topology. */
export interface ClusterRun {
  /** Absent when the run did not finish (too many failed calls, or sessions that would not open). */
  load?: LoadResult;
  /** Over the whole load (warm-up, window and the calls in flight at its end), not only the window. */
  crossings?: Crossings;
  /** nginx's CPU (master + workers) over the same span, per call sent in it; NaN without nginx. */
  nginxCpuUsPerCall: number;
  /** echo calls that failed, counted as the clients saw them. */
  failedCalls: number;
  /**
   * Attempts to open a session (initialize + notifications/initialized, or GET /sse + initialize)
   * that failed; for 2026-07-28 clients, their `server/discover`.
   */
  failedOpens: number;
  errorSamples: ErrorSample[];
  aborted?: string;
}

export interface ClusterEntry {
  id: ClusterScenarioId;
  transport: "/mcp" | "/sse" | "/mcp 2026-07-28";
  topology: TopologyId;
  title: string;
  runs: ClusterRun[];
}

export type ClusterResults =
  | { status: "skipped" | "failed"; reason: string }
  | { status: "ran"; setup: string; entries: ClusterEntry[] };

export interface ClusterSummary {
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerCall: number;
  nginxCpuUsPerCall: number;
  crossedShare: number;
  /** Failed calls and failed session openings together. */
  failed: number;
  aborted: number;
}

/** Medians over the rounds that finished; failed calls summed over all of them. */
export function summarizeCluster(entry: ClusterEntry): ClusterSummary {
  const finished = entry.runs.flatMap((run) => (run.load ? [run.load] : []));
  return {
    ...summarize(finished),
    nginxCpuUsPerCall: median(entry.runs.map((run) => run.nginxCpuUsPerCall)),
    crossedShare: median(entry.runs.flatMap((run) => (run.crossings ? [run.crossings.share] : []))),
    failed: entry.runs.reduce((sum, run) => sum + run.failedCalls + run.failedOpens, 0),
    aborted: entry.runs.filter((run) => run.aborted !== undefined).length,
  };
}

export function findEntry(entries: readonly ClusterEntry[], id: ClusterScenarioId, topology: TopologyId) {
  return entries.find((entry) => entry.id === id && entry.topology === topology);
}

/** Round-robin against the sticky cluster on each transport, and no failed call in any cluster run. */
export function evaluateClusterTargets(cluster: ClusterResults | undefined): Target[] {
  if (cluster?.status !== "ran") return [];
  const targets: Target[] = [];
  for (const [id, limit] of Object.entries(ROUND_ROBIN_TARGETS) as [ClusterScenarioId, number][]) {
    const roundRobin = findEntry(cluster.entries, id, "round-robin");
    const sticky = findEntry(cluster.entries, id, STICKY);
    if (!roundRobin || !sticky) continue;
    const value = summarizeCluster(roundRobin).callsPerSecond / summarizeCluster(sticky).callsPerSecond;
    targets.push({
      row: `${id}:round-robin`,
      figure: "calls/s",
      name: `cluster rr ≥ ${limit.toFixed(2)} × sticky, ${roundRobin.transport} throughput`,
      value,
      comparison: "≥",
      limit,
      unit: "× sticky",
      pass: value >= limit,
    });
  }
  const failed = cluster.entries.reduce((sum, entry) => {
    const summary = summarizeCluster(entry);
    return sum + summary.failed + summary.aborted;
  }, 0);
  targets.push({
    row: "cluster",
    figure: "errors",
    name: "cluster errors (failed calls + failed session openings; an unfinished run counts 1 more), all rows",
    value: failed,
    comparison: "≤",
    limit: 0,
    unit: "errors",
    pass: failed === 0,
  });
  return targets;
}
