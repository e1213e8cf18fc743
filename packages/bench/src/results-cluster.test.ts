import { describe, expect, it } from "vitest";
import type { LoadResult } from "./load/closed-loop.js";
import {
  type ClusterEntry,
  type ClusterRun,
  type ClusterScenarioId,
  evaluateClusterTargets,
  type TopologyId,
} from "./results-cluster.js";

const run = (callsPerSecond: number, failedOpens = 0): ClusterRun => ({
  load: { callsPerSecond, p50Ms: 1, p99Ms: 2 } as LoadResult,
  nginxCpuUsPerCall: Number.NaN,
  failedCalls: 0,
  failedOpens,
  errorSamples: [],
});
const entry = (
  topology: TopologyId,
  runs: ClusterRun[],
  id: ClusterScenarioId = "cluster-mcp",
): ClusterEntry => ({
  id,
  transport: id === "cluster-modern" ? "/mcp 2026-07-28" : "/mcp",
  topology,
  title: topology,
  runs,
});

describe("evaluateClusterTargets", () => {
  it("holds round-robin to 0.70 × the client-affinity cluster, not the session-hash one", () => {
    const targets = evaluateClusterTargets({
      status: "ran",
      setup: "",
      entries: [
        entry("round-robin", [run(700), run(760)]),
        entry("session-hash", [run(730)]),
        entry("client-affinity", [run(1_000), run(1_000)]),
      ],
    });
    expect(targets.map(({ row, value, pass }) => ({ row, value, pass }))).toEqual([
      { row: "cluster-mcp:round-robin", value: 0.73, pass: true },
      { row: "cluster", value: 0, pass: true },
    ]);
  });

  it("holds 2026-07-28 round-robin to 0.90 × client affinity", () => {
    const targets = evaluateClusterTargets({
      status: "ran",
      setup: "",
      entries: [
        entry("round-robin", [run(880)], "cluster-modern"),
        entry("client-affinity", [run(1_000)], "cluster-modern"),
        entry("round-robin", [run(910)], "cluster-sse"),
        entry("client-affinity", [run(1_000)], "cluster-sse"),
      ],
    });
    expect(targets.map(({ row, value, pass }) => ({ row, value, pass }))).toEqual([
      { row: "cluster-sse:round-robin", value: 0.91, pass: true },
      { row: "cluster-modern:round-robin", value: 0.88, pass: false },
      { row: "cluster", value: 0, pass: true },
    ]);
  });

  it("misses the errors target on a failed session opening or an unfinished run", () => {
    const unfinished: ClusterRun = { ...run(0), aborted: "Run aborted after 20 failed calls" };
    delete unfinished.load;
    const [, errors] = evaluateClusterTargets({
      status: "ran",
      setup: "",
      entries: [entry("round-robin", [run(700, 2)]), entry("client-affinity", [unfinished])],
    });
    expect(errors).toMatchObject({ row: "cluster", value: 3, pass: false });
  });

  it("sets no target when the cluster was skipped", () => {
    expect(evaluateClusterTargets({ status: "skipped", reason: "REDIS_URL is not set" })).toEqual([]);
  });
});
