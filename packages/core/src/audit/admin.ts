import type { Db } from "../db/client.js";
import { adminAudit } from "../db/schema.js";

/** One change made by a person (or the CLI) to a tool, key, user, note or session, with the state before and after. */
export interface AdminAction {
  actor: string;
  action: string;
  targetType: "tool" | "api_key" | "user" | "note" | "session";
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/** Writes the row in the caller's transaction when given one, so the change and its record land together. */
export async function recordAdminAction(db: Db, action: AdminAction): Promise<void> {
  await db
    .insert(adminAudit)
    .values({ ...action, before: action.before ?? null, after: action.after ?? null });
}
