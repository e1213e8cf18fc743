import { expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { describeEachDatabase, openContextFor } from "../testing/each-database.js";
import { listCallerTasks } from "./list.js";
import { insertTask } from "./store.js";

describeEachDatabase("a caller's tasks, a page at a time", (database) => {
  let ctx: AppContext;
  openContextFor(database, (opened) => {
    ctx = opened;
  });

  const insert = (principal: string, at: Date, ttlMs = 60_000) =>
    insertTask(ctx.db.db, { principal, tool: "slow_compute", owner: "test", ttlMs }, at);

  it("pages through the caller's live tasks newest first, none twice, others' and expired ones left out", async () => {
    const base = Date.now() - 10_000;
    // Two share a start: the id orders them, and the cursor must not split or repeat them.
    const mine = [];
    for (const offset of [0, 1_000, 1_000, 2_000, 3_000])
      mine.push(await insert("key:mine", new Date(base + offset)));
    await insert("key:other", new Date(base + 500));
    await insert("key:mine", new Date(base - 120_000), 1_000);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listCallerTasks(ctx.db.db, { principal: "key:mine", cursor, limit: 2 });
      seen.push(...page.rows.map((row) => row.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);

    const newestFirst = [...mine]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((row) => row.id);
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(3);
  });

  it("gives no next cursor on the last page, and refuses a cursor it did not give", async () => {
    await insert("key:few", new Date());
    expect(await listCallerTasks(ctx.db.db, { principal: "key:few", limit: 2 })).not.toHaveProperty(
      "nextCursor",
    );
    await expect(listCallerTasks(ctx.db.db, { principal: "key:few", cursor: "bogus" })).rejects.toMatchObject(
      {
        code: "INVALID",
        message: expect.stringMatching(/cursor/),
      },
    );
  });
});
