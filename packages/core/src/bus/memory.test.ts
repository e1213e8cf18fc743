import { describe, expect, it } from "vitest";
import { busContract } from "./bus.contract.js";
import { createMemoryBus } from "./memory.js";

describe("in-process bus", () => {
  busContract(async () => createMemoryBus());

  it("drops expired keys that nobody reads again, so memory does not grow with them", async () => {
    let clock = 0;
    const bus = createMemoryBus({ now: () => clock });
    for (let i = 0; i < 10_000; i++) await bus.set(`once:${i}`, "x", { ttlMs: 1_000 });
    for (let i = 0; i < 10_000; i++) await bus.increment(`counter:${i}`, 1_000);
    await bus.set("kept", "forever");
    expect(bus.size).toBe(20_001);
    clock += 60_000;
    await bus.increment("later", 1_000);
    expect(bus.size).toBe(2);
    expect(await bus.get("kept")).toBe("forever");
    await bus.close();
  });
});
