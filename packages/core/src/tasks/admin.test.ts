import { expect, it } from "vitest";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { adminAudit } from "../db/schema.js";
import { localPrincipal } from "../mcp/principal.js";
import { describeEachDatabase, openContextFor } from "../testing/each-database.js";
import { defineTool } from "../tools/define.js";
import { cancelTask, listTasks } from "./admin.js";
import { insertTask } from "./store.js";

const untilCancelled = defineTool({
  name: "until_cancelled",
  title: "Until cancelled",
  description: "Works until its call is cancelled.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  task: "required",
  run: ({ signal }) =>
    new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
});

describeEachDatabase("the admin's tasks", (database) => {
  let ctx: AppContext;
  openContextFor(database, (opened) => {
    ctx = opened;
  });

  const start = async () =>
    (
      await ctx.tasks.start({
        tool: untilCancelled,
        version: undefined,
        input: {},
        args: {},
        meta: { principal: localPrincipal, transport: "in-memory", signal: new AbortController().signal },
      })
    ).id;
  const auditOf = async (id: string) =>
    (await ctx.db.db.select().from(adminAudit)).filter((row) => row.targetId === id);

  it("lists a task whose process stopped as failed, after the running ones, without its result", async () => {
    const running = await start();
    const orphan = await insertTask(ctx.db.db, { principal: "p", tool: "t", owner: "gone", ttlMs: 60_000 });
    const tasks = (await listTasks(ctx)).filter((task) => [running, orphan.id].includes(task.id));
    expect(tasks.map((task) => [task.id, task.status])).toEqual([
      [running, "working"],
      [orphan.id, "failed"],
    ]);
    expect(Object.keys(tasks[0] ?? {})).not.toContain("result");
    await ctx.tasks.cancel(undefined, running);
  });

  it("cancels a running task with one audit row, and leaves an ended one as it is with none", async () => {
    const id = await start();
    expect(await cancelTask(ctx, "alice", id)).toMatchObject({
      task: { id, status: "cancelled" },
      alreadyEnded: false,
    });
    expect(await cancelTask(ctx, "bob", id)).toMatchObject({ alreadyEnded: true });
    expect(await auditOf(id)).toMatchObject([{ actor: "alice", action: "task.cancel", targetType: "task" }]);
  });

  it("says an orphaned task had ended rather than cancel it", async () => {
    const orphan = await insertTask(ctx.db.db, { principal: "p", tool: "t", owner: "gone", ttlMs: 60_000 });
    expect(await cancelTask(ctx, "alice", orphan.id)).toMatchObject({
      task: { status: "failed" },
      alreadyEnded: true,
    });
    expect(await auditOf(orphan.id)).toEqual([]);
  });

  it("does not find an unknown, malformed or expired task", async () => {
    const expired = await insertTask(
      ctx.db.db,
      { principal: "p", tool: "t", owner: "gone", ttlMs: 1 },
      new Date(0),
    );
    for (const id of ["00000000-0000-4000-8000-000000000000", "a\u0000b", expired.id])
      await expect(cancelTask(ctx, "alice", id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
