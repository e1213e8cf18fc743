import { and, desc, eq, gt, lt, or } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { tasks } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { TaskRow } from "./store.js";

/** Tasks a page of `tasks/list` holds, unless the caller asks for fewer. */
export const TASK_PAGE_SIZE = 50;

export interface TaskPageInput {
  principal: string;
  /** The `nextCursor` of the page before; none for the first page. */
  cursor?: string | undefined;
  limit?: number;
}

export interface TaskPage {
  rows: TaskRow[];
  /** Where the next page starts; undefined on the last page. */
  nextCursor?: string;
}

/**
 * The caller's tasks that have not expired, newest first, a page at a time. The cursor names the
 * last task shown (its start and id), so tasks started meanwhile neither repeat nor shift a page.
 */
export async function listCallerTasks(
  db: Db,
  { principal, cursor, limit = TASK_PAGE_SIZE }: TaskPageInput,
  now = new Date(),
): Promise<TaskPage> {
  const after = cursor === undefined ? undefined : parseCursor(cursor);
  const rows = await db
    .select()
    .from(tasks)
    .where(
      and(
        eq(tasks.principal, principal),
        gt(tasks.expiresAt, now),
        after &&
          or(lt(tasks.createdAt, after.at), and(eq(tasks.createdAt, after.at), lt(tasks.id, after.id))),
      ),
    )
    .orderBy(desc(tasks.createdAt), desc(tasks.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (rows.length <= limit || !last) return { rows: page };
  return { rows: page, nextCursor: encodeCursor(last) };
}

const encodeCursor = (row: TaskRow) =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");

// MCP 2025-11-25 §Tasks: an invalid cursor is -32602 (an AppError INVALID).
function parseCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const date = typeof at === "string" ? new Date(at) : undefined;
    if (date && !Number.isNaN(date.getTime()) && typeof id === "string") return { at: date, id };
  } catch {
    // Not ours: said below.
  }
  throw new AppError("INVALID", "Invalid params for tasks/list: cursor: not a cursor this server gave");
}
