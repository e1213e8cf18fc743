import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { describeEachDatabase, openContextFor } from "../testing/each-database.js";
import { endTask, insertTaskWithinLimit } from "./store.js";

describeEachDatabase("the per-caller task limit", (database) => {
  let ctx: AppContext;
  openContextFor(database, (opened) => {
    ctx = opened;
  });

  const start = (principal: string) =>
    insertTaskWithinLimit(ctx.db.db, { principal, tool: "slow_compute", owner: "test", ttlMs: 60_000 }, 3);

  it("starts no more than the limit when one caller's starts race, and counts only running tasks", async () => {
    const principal = `key:${randomUUID()}`;
    const raced = await Promise.all(Array.from({ length: 12 }, () => start(principal)));
    const started = raced.filter((task) => task !== undefined);
    expect(started).toHaveLength(3);
    // Another caller has a limit of its own.
    expect(await start(`key:${randomUUID()}`)).toBeDefined();
    // An ended task no longer counts.
    await endTask(ctx.db.db, started[0]?.id ?? "", { status: "cancelled", statusMessage: "cancelled" });
    expect(await start(principal)).toBeDefined();
    expect(await start(principal)).toBeUndefined();
  });
});
