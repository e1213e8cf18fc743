import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { tasks } from "../db/schema.js";
import type { InputRequest, InputRequests, InputResponses } from "../mcp/input.js";
import { RESULT_SCHEMA_OF } from "../mcp/input.js";
import { malformation } from "../text/well-formed.js";

export type TaskRow = typeof tasks.$inferSelect;
export type TaskStatus = TaskRow["status"];

/** A task in one of these never changes again (MCP tasks extension §Task Status). */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ["completed", "failed", "cancelled"];
const ACTIVE_STATUSES: TaskStatus[] = ["working", "input_required"];

export const isTerminal = (status: TaskStatus): boolean => TERMINAL_STATUSES.includes(status);

/** A JSON-RPC error, as a failed task carries it. */
export interface TaskError {
  code: number;
  message: string;
  data?: unknown;
}

export interface NewTask {
  principal: string;
  tool: string;
  /** The presence id of the process that runs it. */
  owner: string;
  ttlMs: number;
}

/** Creates a task, `working`, durably: a `tasks/get` on any replica finds it once this resolves. */
export async function insertTask(db: Db, task: NewTask, now = new Date()): Promise<TaskRow> {
  const [row] = await db
    .insert(tasks)
    .values({
      // Unguessable, as the extension asks: a task id is all a caller names it by.
      id: randomUUID(),
      principal: task.principal,
      tool: task.tool,
      owner: task.owner,
      status: "working",
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + task.ttlMs),
    })
    .returning();
  if (!row) throw new Error("insert returned no task");
  return row;
}

/**
 * Creates a task as `insertTask` does, unless its caller already has `limit` running (working or
 * waiting for input): then undefined. One caller's starts take turns on a lock held to the end of
 * the transaction, so calls racing past the count together cannot exceed the limit, on any replica.
 */
export async function insertTaskWithinLimit(
  db: Db,
  task: NewTask,
  limit: number,
  now = new Date(),
): Promise<TaskRow | undefined> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`tasks:${task.principal}`}))`);
    const [active] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(tasks)
      .where(and(eq(tasks.principal, task.principal), inArray(tasks.status, ACTIVE_STATUSES)));
    if ((active?.count ?? 0) >= limit) return undefined;
    return insertTask(tx, task, now);
  });
}

// Text no task id holds (NUL, a lone surrogate) finds nothing, rather than a query PostgreSQL refuses.
const holdable = (id: string) => malformation(id) === undefined;

/** The caller's task, unless it has expired; another caller's is not found, as a missing one. */
export async function findTask(db: Db, principal: string, id: string, now = new Date()) {
  const row = await findAnyTask(db, id, now);
  return row?.principal === principal ? row : undefined;
}

/**
 * Parks a working task on questions for its client, each under a key this task never used before
 * (a tool may ask twice with one key; the wire keys stay unique). Returns wire key → tool key.
 */
export async function requestTaskInput(db: Db, id: string, requests: InputRequests) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(tasks).where(eq(tasks.id, id)).for("update");
    if (row?.status !== "working") return undefined;
    const used = new Set(row.usedKeys as string[]);
    const wireKeys = new Map<string, string>();
    const wireRequests: InputRequests = {};
    for (const [key, request] of Object.entries(requests)) {
      let wire = key;
      for (let n = 2; used.has(wire); n++) wire = `${key}~${n}`;
      used.add(wire);
      wireKeys.set(wire, key);
      wireRequests[wire] = request;
    }
    await tx
      .update(tasks)
      .set({
        status: "input_required",
        inputRequests: wireRequests,
        inputResponses: {},
        usedKeys: [...used],
        updatedAt: new Date(),
      })
      .where(eq(tasks.id, id));
    return wireKeys;
  });
}

/**
 * Takes the caller's answers to what the task waits for: each to a key it asked and still waits on,
 * shaped as that kind's result; others are ignored (the extension: SHOULD ignore unasked keys). Once
 * nothing is outstanding the task works again. Resolves to the task, or undefined when not found.
 */
export async function answerTaskInput(db: Db, principal: string, id: string, responses: InputResponses) {
  if (!holdable(id)) return undefined;
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(tasks).where(eq(tasks.id, id)).for("update");
    if (!row || row.principal !== principal || row.expiresAt < new Date()) return undefined;
    if (row.status !== "input_required") return row;
    const outstanding = { ...(row.inputRequests as InputRequests) };
    const answered = { ...(row.inputResponses as InputResponses) };
    let taken = 0;
    for (const [key, request] of Object.entries(outstanding)) {
      if (!Object.hasOwn(responses, key)) continue;
      const parsed = RESULT_SCHEMA_OF[(request as InputRequest).method].safeParse(responses[key]);
      if (!parsed.success) continue;
      answered[key] = parsed.data;
      delete outstanding[key];
      taken++;
    }
    if (taken === 0) return row;
    const done = Object.keys(outstanding).length === 0;
    const [updated] = await tx
      .update(tasks)
      .set({
        status: done ? "working" : "input_required",
        inputRequests: done ? null : outstanding,
        inputResponses: answered,
        updatedAt: new Date(),
      })
      .where(eq(tasks.id, id))
      .returning();
    return updated;
  });
}

/** Once every answer is in: takes them for the running tool (the row keeps none after). */
export async function takeTaskAnswers(db: Db, id: string): Promise<InputResponses | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(tasks).where(eq(tasks.id, id)).for("update");
    if (row?.status !== "working" || row.inputResponses === null) return undefined;
    await tx.update(tasks).set({ inputResponses: null }).where(eq(tasks.id, id));
    return row.inputResponses as InputResponses;
  });
}

export type TaskEnd =
  | { status: "completed"; result: Record<string, unknown> }
  | { status: "failed"; error: TaskError; statusMessage: string }
  | { status: "cancelled"; statusMessage: string };

/** Ends a task, unless it has ended already (a cancel wins over the run it stopped). */
export async function endTask(db: Db, id: string, end: TaskEnd): Promise<boolean> {
  const rows = await db
    .update(tasks)
    .set({
      status: end.status,
      result: end.status === "completed" ? end.result : null,
      error: end.status === "failed" ? end.error : null,
      statusMessage: end.status === "completed" ? null : end.statusMessage,
      inputRequests: null,
      inputResponses: null,
      updatedAt: new Date(),
    })
    .where(and(eq(tasks.id, id), notInArray(tasks.status, [...TERMINAL_STATUSES])))
    .returning({ id: tasks.id });
  return rows.length > 0;
}

/** Tasks for the admin: running ones first, then the most recently changed. */
export async function listTaskRows(db: Db, { limit = 200 }: { limit?: number } = {}) {
  return db
    .select()
    .from(tasks)
    .where(sql`${tasks.expiresAt} > now()`)
    .orderBy(sql`${tasks.status} in ('working', 'input_required') desc`, desc(tasks.updatedAt))
    .limit(limit);
}

/** The task by id whoever started it (the admin's view), unless expired. */
export async function findAnyTask(db: Db, id: string, now = new Date()) {
  if (!holdable(id)) return undefined;
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id)).limit(1);
  return row && row.expiresAt >= now ? row : undefined;
}

/** Deletes tasks past their TTL, ended or not; resolves to how many. */
export async function pruneTasks(db: Db, now = new Date()): Promise<number> {
  const rows = await db.delete(tasks).where(lt(tasks.expiresAt, now)).returning({ id: tasks.id });
  return rows.length;
}
