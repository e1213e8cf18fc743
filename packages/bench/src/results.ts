import type { LoadResult } from "./load/closed-loop.js";
import { median } from "./load/stats.js";
import type { BenchOptions } from "./options.js";
import type { ClusterResults } from "./results-cluster.js";
import type { IdleKind, MemoryResult } from "./scenarios/idle-memory.js";
import type { TargetName } from "./targets.js";

export interface ThroughputSummary {
  callsPerSecond: number;
  serverCpuUsPerCall: number;
  clientCpuUsPerCall: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ThroughputEntry {
  id: string;
  title: string;
  runs: Record<TargetName, LoadResult[]>;
}

export interface MemoryEntry {
  kind: IdleKind;
  title: string;
  results: Partial<Record<TargetName, MemoryResult>>;
}

export interface Target {
  /** The table row it judges: a throughput id or `memory:<kind>`. */
  row: string;
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
  machine: { node: string; platform: string; cpus: number };
  /** How each server ran over HTTP: what the figures were measured with. */
  setup: Record<TargetName, string>;
  options: Omit<BenchOptions, "only"> & { only: string[] };
  throughput: ThroughputEntry[];
  memory: MemoryEntry[];
  /** Absent when no cluster scenario was selected. */
  cluster?: ClusterResults;
}

/** Median across rounds of each figure. */
export function summarize(runs: readonly LoadResult[]): ThroughputSummary {
  return {
    callsPerSecond: median(runs.map((run) => run.callsPerSecond)),
    serverCpuUsPerCall: median(runs.map((run) => run.serverCpuUsPerCall)),
    clientCpuUsPerCall: median(runs.map((run) => run.clientCpuUsPerCall)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
  };
}

export const ratio = (ours: number, bare: number): number => ours / bare;

const KB = 1024;

/** The targets our server is held to: throughput and stdio against the bare SDK, memory absolute. */
export function evaluateTargets(results: BenchResults): Target[] {
  const targets: Target[] = [];
  const perf = (id: string, name: string) => {
    const entry = results.throughput.find((candidate) => candidate.id === id);
    if (!entry || entry.runs.ours.length === 0 || entry.runs.bare.length === 0) return;
    const value = ratio(summarize(entry.runs.ours).callsPerSecond, summarize(entry.runs.bare).callsPerSecond);
    targets.push({ row: id, name, value, comparison: "≥", limit: 1, unit: "× bare SDK", pass: value >= 1 });
  };
  perf("mcp-32", "/mcp throughput, 32 sessions");
  perf("stdio", "stdio round trips");
  const idle = results.memory.find((entry) => entry.kind === "streamable")?.results.ours;
  if (idle) {
    const value = idle.heapPerSession / KB;
    targets.push({
      row: "memory:streamable",
      name: "memory per idle /mcp session",
      value,
      comparison: "≤",
      limit: 60,
      unit: "KB",
      pass: value <= 60,
    });
  }
  return targets;
}
