import { describe, expect, it } from "vitest";
import type { LoadResult } from "./load/closed-loop.js";
import type { LatencyRun } from "./load/interleaved.js";
import {
  addedLatency,
  evaluateHttpToolTargets,
  type HttpToolResults,
  throughputShare,
} from "./results-http-tool.js";

const run = (callsPerSecond: number): LoadResult => ({ callsPerSecond, p50Ms: 1 }) as LoadResult;
const timed = (p50Ms: number): LatencyRun => ({
  calls: 100,
  errors: 0,
  p50Ms,
  p99Ms: 2,
  p999Ms: 3,
  maxMs: 4,
});
const verdicts = (input: HttpToolResults | undefined) =>
  evaluateHttpToolTargets(input).map(({ row, figure, value, unit, pass }) => ({
    row,
    figure,
    value,
    unit,
    pass,
  }));

describe("addedLatency", () => {
  it("is p50(tool) − p50(echo) − p50(direct), each the median of the rounds' p50s", () => {
    const runs = {
      echo: [timed(0.5), timed(0.7), timed(0.6)],
      tool: [timed(1.5), timed(1.25), timed(9)],
      direct: [timed(0.25), timed(0.25)],
    };
    expect(addedLatency(runs)).toEqual({ toolP50Ms: 1.5, echoP50Ms: 0.6, directP50Ms: 0.25, addedMs: 0.65 });
  });

  it("is undefined until all three paths have run", () => {
    expect(addedLatency({ echo: [timed(1)], tool: [timed(2)], direct: [] })).toBeUndefined();
  });
});

describe("evaluateHttpToolTargets", () => {
  const loaded = (tool: number[]): HttpToolResults => ({
    setup: "",
    throughput: {
      title: "",
      clients: 32,
      runs: { echo: [run(10_000), run(12_000)], tool: tool.map(run), direct: [run(50_000)] },
    },
  });
  const single = (toolP50Ms: number): HttpToolResults => ({
    setup: "",
    latency: { title: "", runs: { echo: [timed(0.5)], tool: [timed(toolP50Ms)], direct: [timed(0.25)] } },
  });

  it("holds the HTTP tool to 0.7× echo's calls/s at 32 sessions, round by round, the median of the rounds", () => {
    // Rounds: 0.7, 0.7 → 0.7; a round whose echo ran on a quieter machine does not sink the rest.
    expect(verdicts(loaded([7_000, 8_400]))).toEqual([
      { row: "http-tool-32", figure: "calls/s", value: 0.7, unit: "× echo", pass: true },
    ]);
    expect(verdicts(loaded([7_000, 8_000]))).toMatchObject([
      { value: (0.7 + 8_000 / 12_000) / 2, pass: false },
    ]);
    expect(
      throughputShare({ echo: [run(1_000), run(2_000), run(1_000)], tool: [run(800), run(1_000), run(750)] }),
    ).toBe(0.75);
  });

  it("holds the added p50 latency with one session to 1 ms", () => {
    expect(verdicts(single(1.75))).toEqual([
      { row: "http-tool-1", figure: "p50", value: 1, unit: "ms", pass: true },
    ]);
    expect(verdicts(single(1.875))).toMatchObject([{ value: 1.125, pass: false }]);
  });

  it("judges nothing that did not run", () => {
    expect(verdicts(undefined)).toEqual([]);
    expect(verdicts({ setup: "", throughput: { title: "", clients: 32, runs: { echo: [run(1)] } } })).toEqual(
      [],
    );
  });
});
