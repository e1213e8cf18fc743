import type { LoadResult } from "./load/closed-loop.js";
import { median } from "./load/stats.js";
import { type BenchOptions, IDLE_SESSIONS } from "./options.js";
import type { ClusterResults } from "./results-cluster.js";
import type { HttpToolResults } from "./results-http-tool.js";
import { evaluateStartupTargets, type IdleEntry, type SpawnEntry } from "./results-startup.js";
import type { IdleKind, MemoryResult } from "./scenarios/idle-memory.js";
import type { TargetName } from "./targets.js";

export interface ThroughputSummary {
  callsPerSecond: number;
  serverCpuUsPerCall: number;
  serverMainThreadCpuUsPerCall: number;
  clientCpuUsPerCall: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ThroughputEntry {
  id: string;
  title: string;
  /** Every round's result per server; a server the scenario does not run has none. */
  runs: Partial<Record<TargetName, LoadResult[]>>;
}

export interface MemoryEntry {
  kind: IdleKind;
  title: string;
  results: Partial<Record<TargetName, MemoryResult>>;
}

export interface Target {
  /** The table row it judges: a throughput or start-up id, or `memory:<kind>`. */
  row: string;
  /** The figure of that row it judges. */
  figure: "calls/s" | "p50" | "p99" | "rss" | "errors" | "first answer";
  name: string;
  value: number;
  comparison: "≥" | "≤";
  limit: number;
  unit: string;
  pass: boolean;
}

/** Everything one `pnpm bench` run measured; written as JSON and printed as a table. */
export interface BenchResults {
  startedAt: string;
  machine: {
    node: string;
    platform: string;
    cpus: number;
    /** 1, 5 and 15 minute load averages, as the run began and as it ended. */
    loadAverage: { atStart: number[]; atEnd: number[] };
  };
  /** How each server ran over HTTP: what the figures were measured with. */
  setup: Record<TargetName, string>;
  options: Omit<BenchOptions, "only"> & { only: string[] };
  throughput: ThroughputEntry[];
  memory: MemoryEntry[];
  /** Spawn → first answer over stdio, per data folder. */
  spawn: SpawnEntry[];
  /** Resident memory of idle processes: the stdio server and the launcher. */
  idle: IdleEntry[];
  /** Absent when no HTTP tool scenario was selected. */
  httpTool?: HttpToolResults;
  /** Absent when no cluster scenario was selected. */
  cluster?: ClusterResults;
}

/** Median across rounds of each figure. */
export function summarize(runs: readonly LoadResult[]): ThroughputSummary {
  return {
    callsPerSecond: median(runs.map((run) => run.callsPerSecond)),
    serverCpuUsPerCall: median(runs.map((run) => run.serverCpuUsPerCall)),
    serverMainThreadCpuUsPerCall: median(runs.map((run) => run.serverMainThreadCpuUsPerCall)),
    clientCpuUsPerCall: median(runs.map((run) => run.clientCpuUsPerCall)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
  };
}

export const ratio = (ours: number, bare: number): number => ours / bare;

const KB = 1024;

/** Our server's /mcp and /sse (2025 era) and stdio against SDK v1: at least as fast. */
export const PARITY = 1;
/** Our 2026-07-28 /mcp at 32 clients against SDK v1's stateful /mcp: calls/s at least this many times. */
export const MODERN_SPEEDUP = 3;
/** Resident memory one idle /mcp session may add, measured over IDLE_SESSIONS of them. */
export const IDLE_SESSION_RSS_KB = 25;

/**
 * The targets our server is held to: throughput, stdio and start-up against SDK v1 (the servers
 * operators run today), memory absolute. The memory target holds at IDLE_SESSIONS sessions, and is judged
 * only on a run that opened that many: a smaller run leaves fixed costs a bigger share.
 */
export function evaluateTargets(results: BenchResults): Target[] {
  const targets: Target[] = [];
  const summaries = (id: string) => {
    const entry = results.throughput.find((candidate) => candidate.id === id);
    const ours = entry?.runs.ours ?? [];
    const bare = entry?.runs.bare ?? [];
    return ours.length === 0 || bare.length === 0
      ? undefined
      : { ours: summarize(ours), bare: summarize(bare) };
  };
  const faster = (id: string, name: string, limit: number) => {
    const found = summaries(id);
    if (!found) return;
    const value = ratio(found.ours.callsPerSecond, found.bare.callsPerSecond);
    targets.push({
      row: id,
      figure: "calls/s",
      name,
      value,
      comparison: "≥",
      limit,
      unit: "× SDK v1",
      pass: value >= limit,
    });
  };
  faster("mcp-32", "/mcp throughput, 32 sessions", PARITY);
  faster("sse-32", "/sse throughput, 32 sessions", PARITY);
  faster("stdio", "stdio round trips", PARITY);
  faster("modern-32", "/mcp 2026-07-28 throughput, 32 clients, against SDK v1's /mcp", MODERN_SPEEDUP);
  const modern = summaries("modern-32");
  if (modern) {
    const value = ratio(modern.ours.p99Ms, modern.bare.p99Ms);
    targets.push({
      row: "modern-32",
      figure: "p99",
      name: "/mcp 2026-07-28 p99 latency, 32 clients, against SDK v1's /mcp",
      value,
      comparison: "≤",
      limit: PARITY,
      unit: "× SDK v1",
      pass: value <= PARITY,
    });
  }
  const idle = results.memory.find((entry) => entry.kind === "streamable")?.results.ours;
  if (idle && idle.sessions === IDLE_SESSIONS) {
    const value = idle.rssPerSession / KB;
    targets.push({
      row: "memory:streamable",
      figure: "rss",
      name: `resident memory per idle /mcp session, ${IDLE_SESSIONS.toLocaleString("en-US")} sessions`,
      value,
      comparison: "≤",
      limit: IDLE_SESSION_RSS_KB,
      unit: "KB",
      pass: value <= IDLE_SESSION_RSS_KB,
    });
  }
  targets.push(...evaluateStartupTargets(results.spawn, results.idle));
  return targets;
}
