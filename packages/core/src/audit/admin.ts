import type { Db } from "../db/client.js";
import { adminAudit } from "../db/schema.js";
import { AppError } from "../errors.js";
import { wellFormedJson, wellFormedText } from "../text/well-formed.js";

/** One change made by a person (or the CLI) to a tool, key, user, note or session, with the state before and after. */
export interface AdminAction {
  actor: string;
  action: string;
  targetType:
    | "tool"
    | "api_key"
    | "user"
    | "note"
    | "session"
    | "secret"
    | "tool_version"
    | "prompt"
    | "task";
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/** What a client is told when a change was rolled back because its audit row could not be written. */
export const AUDIT_FAILED = "The change was not made: its audit record could not be written. Try again.";

/**
 * Writes the row in the caller's transaction, the one that makes the change, so the change and its
 * record land together or not at all. Values are made well-formed first (jsonb refuses NUL and lone
 * surrogates), and a failure becomes UNAVAILABLE: the caller's transaction rolls back on it.
 */
export async function recordAdminAction(tx: Db, action: AdminAction): Promise<void> {
  try {
    await tx.insert(adminAudit).values({
      actor: wellFormedText(action.actor),
      action: action.action,
      targetType: action.targetType,
      targetId: wellFormedText(action.targetId),
      before: wellFormedJson(action.before ?? null),
      after: wellFormedJson(action.after ?? null),
    });
  } catch (error) {
    throw new AppError("UNAVAILABLE", AUDIT_FAILED, { cause: error });
  }
}
