import { describe, expect, it } from "vitest";
import { runInterleaved } from "./interleaved.js";

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("runInterleaved", () => {
  it("takes the kinds in turn, one at a time, and times each apart", async () => {
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const call = (name: string, ms: number) => async () => {
      order.push(name);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await wait(ms);
      inFlight -= 1;
    };
    const runs = await runInterleaved(
      { fast: call("fast", 1), slow: call("slow", 12) },
      { warmupMs: 0, durationMs: 300 },
    );
    expect(most).toBe(1);
    expect(order.slice(0, 6)).toEqual(["fast", "slow", "slow", "fast", "fast", "slow"]);
    expect(Math.abs(runs.fast.calls - runs.slow.calls)).toBeLessThanOrEqual(2);
    expect(runs.slow.p50Ms).toBeGreaterThanOrEqual(12);
    expect(runs.fast.p50Ms).toBeLessThan(runs.slow.p50Ms);
    expect(runs.fast.errors).toBe(0);
  });

  it("counts the calls that fail by kind, and gives up when they keep failing", async () => {
    let tries = 0;
    const flaky = async () => {
      tries += 1;
      if (tries % 10 === 0) throw new Error("refused");
      await wait(1);
    };
    const runs = await runInterleaved({ ok: () => wait(1), flaky }, { warmupMs: 0, durationMs: 100 });
    expect(runs.flaky.errors).toBeGreaterThan(0);
    expect(runs.ok.errors).toBe(0);
    const failing = async () => {
      throw new Error("refused");
    };
    await expect(
      runInterleaved({ ok: () => wait(1), failing }, { warmupMs: 0, durationMs: 10_000 }),
    ).rejects.toThrow(/aborted after 20/);
  });
});
