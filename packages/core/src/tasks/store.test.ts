import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import type { InputRequest } from "../mcp/input.js";
import { createTestContext } from "../testing/context.js";
import {
  answerTaskInput,
  endTask,
  findTask,
  insertTask,
  pruneTasks,
  requestTaskInput,
  takeTaskAnswers,
} from "./store.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const db = () => ctx.db.db;
const newTask = (ttlMs = 60_000, now?: Date) =>
  insertTask(db(), { principal: "local", tool: "slow", owner: "p1", ttlMs }, now);
const form: InputRequest = {
  method: "elicitation/create",
  params: { mode: "form", message: "Sure?", requestedSchema: { type: "object", properties: {} } },
};

describe("the task store", () => {
  it("finds a task for its own caller only, and not once it has expired", async () => {
    const task = await newTask();
    expect((await findTask(db(), "local", task.id))?.status).toBe("working");
    expect(await findTask(db(), "key:other", task.id)).toBeUndefined();
    expect(await findTask(db(), "local", task.id, new Date(Date.now() + 120_000))).toBeUndefined();
  });

  it("never uses an input key twice in one task, and takes only answers to what is outstanding", async () => {
    const task = await newTask();
    const first = await requestTaskInput(db(), task.id, { confirm: form });
    expect([...(first ?? [])]).toEqual([["confirm", "confirm"]]);
    // Malformed and unasked answers are ignored; the task keeps waiting.
    const ignored = await answerTaskInput(db(), "local", task.id, { confirm: { nope: 1 }, other: {} });
    expect(ignored?.status).toBe("input_required");
    const taken = await answerTaskInput(db(), "local", task.id, { confirm: { action: "accept" } });
    expect(taken?.status).toBe("working");
    expect(await takeTaskAnswers(db(), task.id)).toEqual({ confirm: { action: "accept" } });
    expect(await takeTaskAnswers(db(), task.id)).toBeUndefined();
    const second = await requestTaskInput(db(), task.id, { confirm: form });
    expect([...(second ?? [])]).toEqual([["confirm~2", "confirm"]]);
  });

  it("lets nothing change a task once it has ended: a cancel wins over the run it stopped", async () => {
    const task = await newTask();
    expect(await endTask(db(), task.id, { status: "cancelled", statusMessage: "Cancelled" })).toBe(true);
    expect(await endTask(db(), task.id, { status: "completed", result: { content: [] } })).toBe(false);
    expect((await findTask(db(), "local", task.id))?.status).toBe("cancelled");
  });

  it("deletes tasks past their TTL, and only those", async () => {
    const old = await newTask(1_000, new Date(Date.now() - 10_000));
    const fresh = await newTask();
    expect(await pruneTasks(db())).toBeGreaterThanOrEqual(1);
    expect(await findTask(db(), "local", old.id, new Date(0))).toBeUndefined();
    expect(await findTask(db(), "local", fresh.id)).toBeDefined();
  });
});
