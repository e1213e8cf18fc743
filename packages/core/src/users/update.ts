import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import type { Db } from "../db/client.js";
import { adminSessions, apiKeys, users } from "../db/schema.js";
import { AppError } from "../errors.js";
import { announceRevoked, revokeKeysIn } from "../keys/revoke.js";
import { isUuid } from "./list.js";
import { type Actor, type Role, toUserView, type UserView } from "./roles.js";

export interface UpdateUserInput {
  role?: Role | undefined;
  /** true disables the user (ending their sessions and revoking their keys); false enables them again. */
  disabled?: boolean | undefined;
}

// Any fixed 32-bit number: role and disable changes take turns on it, so two admins demoting each
// other at once cannot both pass the last-admin check.
const USER_CHANGES_LOCK = 0x757372;

/**
 * Changes a user's role or disables them. Refuses (CONFLICT) to leave no enabled admin, which
 * would lock everyone out of user management. Disabling ends the user's sessions and revokes the
 * API keys they created. Audited with the state before and after, in the change's transaction.
 */
export async function updateUser(
  ctx: Pick<AppContext, "db" | "bus">,
  actor: Actor,
  id: string,
  input: UpdateUserInput,
  { now = () => new Date() }: { now?: () => Date } = {},
): Promise<UserView> {
  if (!isUuid(id)) throw notFound(id);
  const { user, revoked } = await ctx.db.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${USER_CHANGES_LOCK}::bigint)`);
    const [current] = await tx.select().from(users).where(eq(users.id, id));
    if (!current) throw notFound(id);
    const before = toUserView(current);
    const role = input.role ?? before.role;
    const disabled = input.disabled ?? before.disabled;
    if (role === before.role && disabled === before.disabled) return { user: before, revoked: [] };
    const losesAdmin = before.role === "admin" && !before.disabled && (role !== "admin" || disabled);
    if (losesAdmin && (await otherActiveAdmins(tx, id)) === 0) {
      throw new AppError("CONFLICT", "The last enabled admin cannot be demoted or disabled");
    }
    // A disabled user whose role changes keeps the time they were disabled.
    const changes: Partial<typeof users.$inferInsert> = { role };
    if (disabled !== before.disabled) changes.disabledAt = disabled ? now() : null;
    const [row] = await tx.update(users).set(changes).where(eq(users.id, id)).returning();
    if (!row) throw notFound(id);
    if (disabled) await tx.delete(adminSessions).where(eq(adminSessions.userId, id));
    const disabling = disabled && !before.disabled;
    // Keys name their creator by username, which never changes.
    const keys = disabling
      ? await revokeKeysIn(
          tx,
          eq(apiKeys.createdBy, before.username),
          actor,
          now(),
          "its creator was disabled",
        )
      : [];
    const after = toUserView(row);
    await recordAdminAction(tx, {
      actor,
      action: actionOf(role !== before.role, disabled !== before.disabled, disabled),
      targetType: "user",
      targetId: id,
      before: { role: before.role, disabled: before.disabled },
      after: { role: after.role, disabled: after.disabled },
    });
    return { user: after, revoked: keys };
  });
  await announceRevoked(ctx.bus, revoked);
  return user;
}

const notFound = (id: string) => new AppError("NOT_FOUND", `No user with id ${JSON.stringify(id)}`);

async function otherActiveAdmins(tx: Db, id: string): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, id)));
  return Number(row?.count ?? 0);
}

function actionOf(roleChanged: boolean, disabledChanged: boolean, disabled: boolean): string {
  if (roleChanged && disabledChanged) return "user.updated";
  if (roleChanged) return "user.role_changed";
  return disabled ? "user.disabled" : "user.enabled";
}
