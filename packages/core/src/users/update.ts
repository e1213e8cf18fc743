import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { adminSessions, users } from "../db/schema.js";
import { AppError } from "../errors.js";
import { getUser } from "./list.js";
import { type Actor, type Role, toUserView, type UserView } from "./roles.js";

export interface UpdateUserInput {
  role?: Role | undefined;
  /** true disables the user (and ends their sessions); false enables them again. */
  disabled?: boolean | undefined;
}

/**
 * Changes a user's role or disables them. Refuses (CONFLICT) to leave no enabled admin, which
 * would lock everyone out of user management. Audited with the state before and after.
 */
export async function updateUser(
  ctx: Pick<AppContext, "db">,
  actor: Actor,
  id: string,
  input: UpdateUserInput,
): Promise<UserView> {
  const before = await getUser(ctx, id);
  const role = input.role ?? before.role;
  const disabled = input.disabled ?? before.disabled;
  if (role === before.role && disabled === before.disabled) return before;
  const losesAdmin = before.role === "admin" && !before.disabled && (role !== "admin" || disabled);
  if (losesAdmin && (await otherActiveAdmins(ctx, id)) === 0) {
    throw new AppError("CONFLICT", "The last enabled admin cannot be demoted or disabled");
  }
  // A disabled user whose role changes keeps the time they were disabled.
  const changes: Partial<typeof users.$inferInsert> = { role };
  if (disabled !== before.disabled) changes.disabledAt = disabled ? new Date() : null;
  const [row] = await ctx.db.db.update(users).set(changes).where(eq(users.id, id)).returning();
  if (!row) throw new AppError("NOT_FOUND", `No user with id ${JSON.stringify(id)}`);
  if (disabled) await ctx.db.db.delete(adminSessions).where(eq(adminSessions.userId, id));
  const after = toUserView(row);
  await recordAdminAction(ctx.db.db, {
    actor,
    action: actionOf(role !== before.role, disabled !== before.disabled, disabled),
    targetType: "user",
    targetId: id,
    before: { role: before.role, disabled: before.disabled },
    after: { role: after.role, disabled: after.disabled },
  });
  return after;
}

async function otherActiveAdmins(ctx: Pick<AppContext, "db">, id: string): Promise<number> {
  const [row] = await ctx.db.db
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
