import { describe, expect, it } from "vitest";
import { runClosedLoop } from "./closed-loop.js";

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe("runClosedLoop", () => {
  it("counts the calls that finish inside the measured window and stops by itself", async () => {
    let calls = 0;
    const worker = async () => {
      calls += 1;
      await tick();
    };
    const result = await runClosedLoop([worker, worker], { warmupMs: 20, durationMs: 100 });
    expect(result.calls).toBeGreaterThan(0);
    expect(result.calls).toBeLessThan(calls);
    expect(result.callsPerSecond).toBe(result.calls / 0.1);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
  });

  it("gives up when calls keep failing", async () => {
    const failing = async () => {
      throw new Error("refused");
    };
    await expect(runClosedLoop([failing], { warmupMs: 0, durationMs: 10_000 })).rejects.toThrow(
      /aborted after 20/,
    );
  });
});
