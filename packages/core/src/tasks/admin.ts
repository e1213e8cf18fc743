import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { tasks } from "../db/schema.js";
import { AppError } from "../errors.js";
import { findAnyTask, isTerminal, listTaskRows, type TaskRow } from "./store.js";

/** A task as people see it in the admin: its state, never its input, answers or result. */
export type TaskSummary = Pick<
  TaskRow,
  "id" | "tool" | "principal" | "owner" | "status" | "statusMessage" | "createdAt" | "updatedAt" | "expiresAt"
>;

/** Every status a task can have, as the schema declares them. */
export const TASK_STATUSES = tasks.status.enumValues;

/** What cancelling a task did: `alreadyEnded` when it had ended before (nothing changed then). */
export interface TaskCancel {
  task: TaskSummary;
  alreadyEnded: boolean;
}

type TasksContext = Pick<AppContext, "db" | "tasks">;

const summaryOf = (row: TaskRow): TaskSummary => ({
  id: row.id,
  tool: row.tool,
  principal: row.principal,
  owner: row.owner,
  status: row.status,
  statusMessage: row.statusMessage,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  expiresAt: row.expiresAt,
});

// Read through the runner as its caller would: one still marked active whose process died is failed
// by that read, so the admin never shows as running a task no process will finish.
async function asCallersRead(ctx: TasksContext, row: TaskRow): Promise<TaskRow | undefined> {
  return isTerminal(row.status) ? row : ctx.tasks.get(row.principal, row.id);
}

const running = (row: TaskRow) => !isTerminal(row.status);

/** Unexpired tasks of every caller, running first, then the most recently changed. */
export async function listTasks(ctx: TasksContext, { limit = 200 }: { limit?: number } = {}) {
  const rows = await listTaskRows(ctx.db.db, { limit });
  const read = (await Promise.all(rows.map((row) => asCallersRead(ctx, row)))).filter(
    (row) => row !== undefined,
  );
  // Again: a task failed by its read is no longer running, and it changed just now.
  read.sort(
    (a, b) => Number(running(b)) - Number(running(a)) || b.updatedAt.getTime() - a.updatedAt.getTime(),
  );
  return read.map(summaryOf);
}

/**
 * Cancels a task whoever started it, for a person, with an admin audit row; cancelling an ended
 * task changes nothing and records nothing. NOT_FOUND for an unknown or expired task.
 */
export async function cancelTask(ctx: TasksContext, actor: string, id: string): Promise<TaskCancel> {
  const found = await findAnyTask(ctx.db.db, id);
  const before = found && (await asCallersRead(ctx, found));
  if (!before) throw new AppError("NOT_FOUND", `No task ${id}`);
  if (isTerminal(before.status)) return { task: summaryOf(before), alreadyEnded: true };
  // Recorded before the cancel, not in one transaction with it: the runner writes through the
  // shared database, which on PGlite waits for an open transaction to end. A failed record stops
  // the cancel, so no cancel goes unrecorded.
  await recordAdminAction(ctx.db.db, {
    actor,
    action: "task.cancel",
    targetType: "task",
    targetId: id,
    before: { status: before.status, tool: before.tool, principal: before.principal },
    after: { status: "cancelled" },
  });
  if (!(await ctx.tasks.cancel(undefined, id))) throw new AppError("NOT_FOUND", `No task ${id}`);
  const after = (await findAnyTask(ctx.db.db, id)) ?? before;
  // It may have ended on its own between the read and the cancel; say so rather than claim it.
  return { task: summaryOf(after), alreadyEnded: after.status !== "cancelled" };
}
