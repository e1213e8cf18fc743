import { describe, expect, it } from "vitest";
import type { LoadResult } from "./load/closed-loop.js";
import type { BenchResults, MemoryEntry, ThroughputEntry } from "./results.js";
import { evaluateTargets } from "./results.js";
import type { MemoryResult } from "./scenarios/idle-memory.js";

const run = (callsPerSecond: number, p99Ms = 10): LoadResult =>
  ({ callsPerSecond, p50Ms: 1, p99Ms }) as LoadResult;
const results = (throughput: ThroughputEntry[], memory: MemoryEntry[] = []): BenchResults =>
  ({ throughput, memory, spawn: [], idle: [] }) as unknown as BenchResults;
const idle = (sessions: number, rssKb: number): MemoryResult =>
  ({ sessions, rssPerSession: rssKb * 1024, heapPerSession: 1024 }) as MemoryResult;
const verdicts = (input: BenchResults) =>
  evaluateTargets(input).map(({ row, figure, value, pass }) => ({ row, figure, value, pass }));

describe("evaluateTargets", () => {
  it("holds 2026-07-28 /mcp to 3× SDK v1's calls/s, not SDK v2's, and to SDK v1's p99", () => {
    const modern: ThroughputEntry = {
      id: "modern-32",
      title: "",
      runs: {
        ours: [run(15_000, 8), run(17_000, 10)],
        bare: [run(5_000, 12), run(5_000, 12)],
        "bare-v2": [run(40_000, 2)],
      },
    };
    expect(verdicts(results([modern]))).toEqual([
      { row: "modern-32", figure: "calls/s", value: 3.2, pass: true },
      { row: "modern-32", figure: "p99", value: 0.75, pass: true },
    ]);
  });

  it("misses when 2026-07-28 /mcp is under 3× SDK v1, or its p99 is above SDK v1's", () => {
    const modern: ThroughputEntry = {
      id: "modern-32",
      title: "",
      runs: { ours: [run(14_000, 13)], bare: [run(5_000, 12)] },
    };
    expect(verdicts(results([modern]))).toEqual([
      { row: "modern-32", figure: "calls/s", value: 2.8, pass: false },
      { row: "modern-32", figure: "p99", value: 13 / 12, pass: false },
    ]);
  });

  it("holds 2025-era /mcp and /sse to SDK v1's throughput", () => {
    const entry = (id: string, ours: number): ThroughputEntry => ({
      id,
      title: "",
      runs: { ours: [run(ours)], bare: [run(1_000)] },
    });
    expect(verdicts(results([entry("mcp-32", 1_000), entry("sse-32", 990), entry("mcp-1", 10)]))).toEqual([
      { row: "mcp-32", figure: "calls/s", value: 1, pass: true },
      { row: "sse-32", figure: "calls/s", value: 0.99, pass: false },
    ]);
  });

  it("judges resident memory per idle /mcp session at 5,000 sessions, not heap, and no other count", () => {
    const memory = (sessions: number, rssKb: number): MemoryEntry => ({
      kind: "streamable",
      title: "",
      results: { ours: idle(sessions, rssKb), bare: idle(sessions, 1) },
    });
    expect(verdicts(results([], [memory(5_000, 24.5)]))).toEqual([
      { row: "memory:streamable", figure: "rss", value: 24.5, pass: true },
    ]);
    expect(verdicts(results([], [memory(5_000, 25.5)]))).toMatchObject([{ pass: false }]);
    expect(verdicts(results([], [memory(1_000, 10)]))).toEqual([]);
  });
});
