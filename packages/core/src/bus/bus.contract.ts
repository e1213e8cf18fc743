import { afterAll, beforeAll, expect, it } from "vitest";
import type { Bus } from "./bus.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The behaviour every Bus must show; run once per implementation. */
export function busContract(create: () => Promise<Bus>) {
  let bus: Bus;
  beforeAll(async () => {
    bus = await create();
  });
  afterAll(async () => {
    await bus.close();
  });

  it("delivers published messages to every subscriber of the channel only", async () => {
    const a: string[] = [];
    const b: string[] = [];
    const other: string[] = [];
    const offA = await bus.subscribe("news", (m) => a.push(m));
    const offB = await bus.subscribe("news", (m) => b.push(m));
    const offOther = await bus.subscribe("other", (m) => other.push(m));
    expect(await bus.publish("news", "one")).toBeGreaterThan(0);
    await bus.publish("news", "two");
    await expect.poll(() => b.length).toBe(2);
    expect(a).toEqual(["one", "two"]);
    expect(b).toEqual(["one", "two"]);
    expect(other).toEqual([]);
    await offA();
    await bus.publish("news", "three");
    await expect.poll(() => b.length).toBe(3);
    expect(a).toEqual(["one", "two"]);
    await Promise.all([offB(), offOther()]);
    expect(await bus.publish("news", "unheard")).toBe(0);
  });

  it("stores values, forgets deleted ones and expires them after their TTL", async () => {
    await bus.set("k1", "v1");
    expect(await bus.get("k1")).toBe("v1");
    await bus.delete("k1");
    expect(await bus.get("k1")).toBeUndefined();
    await bus.set("k2", "v2", { ttlMs: 100 });
    expect(await bus.get("k2")).toBe("v2");
    await sleep(200);
    expect(await bus.get("k2")).toBeUndefined();
  });

  it("increments atomically and restarts the count once the window expires", async () => {
    const counts = await Promise.all(Array.from({ length: 20 }, () => bus.increment("calls", 300)));
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The TTL starts with the first increment; later increments do not extend it.
    await sleep(150);
    expect(await bus.increment("calls", 300)).toBe(21);
    await sleep(250);
    expect(await bus.increment("calls", 300)).toBe(1);
  });

  it("keeps a set of up to `max` members, counts them, and frees a place when one is removed", async () => {
    const options = { ttlMs: 10_000, max: 2 };
    expect(await bus.addMember("seats", "a", options)).toBe(true);
    expect(await bus.addMember("seats", "b", options)).toBe(true);
    expect(await bus.addMember("seats", "c", options)).toBe(false);
    // A member already in the set is refreshed, not refused, at the limit.
    expect(await bus.addMember("seats", "a", options)).toBe(true);
    expect(await bus.countMembers("seats")).toBe(2);
    await bus.removeMember("seats", "a");
    expect(await bus.countMembers("seats")).toBe(1);
    expect(await bus.addMember("seats", "c", options)).toBe(true);
    expect(await bus.addMember("seats", "d", { ttlMs: 10_000 })).toBe(true);
    expect(await bus.countMembers("seats")).toBe(3);
    expect(await bus.countMembers("no-such-set")).toBe(0);
    await bus.removeMember("no-such-set", "a");
  });

  it("admits exactly `max` members of many added at once", async () => {
    const added = await Promise.all(
      Array.from({ length: 20 }, (_, i) => bus.addMember("race", `m${i}`, { ttlMs: 10_000, max: 5 })),
    );
    expect(added.filter(Boolean)).toHaveLength(5);
    expect(await bus.countMembers("race")).toBe(5);
  });

  it("expires a member its TTL after it was last added, freeing its place", async () => {
    const options = { ttlMs: 300, max: 1 };
    await bus.addMember("fading", "old", options);
    await sleep(200);
    await bus.addMember("fading", "old", options); // refreshed: it now lives until 300 ms from here
    await sleep(200);
    expect(await bus.addMember("fading", "new", options)).toBe(false);
    await sleep(300);
    expect(await bus.countMembers("fading")).toBe(0);
    expect(await bus.addMember("fading", "new", options)).toBe(true);
  });

  it("answers ping", async () => {
    await expect(bus.ping()).resolves.toBeUndefined();
  });
}
