import { and, eq, isNull } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { AppError } from "../errors.js";
import { parseOrInvalid } from "./create.js";
import { hashPassword } from "./password.js";
import { Password } from "./roles.js";
import { hashToken } from "./tokens.js";

const INVALID_LINK = "This setup link is invalid or has already been used.";

/** Whether a setup token is still good (the page checks before showing the form). */
export async function isSetupTokenValid(ctx: Pick<AppContext, "db">, token: string): Promise<boolean> {
  const [row] = await ctx.db.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.setupTokenHash, hashToken(token)), isNull(users.passwordHash)));
  return row !== undefined;
}

/** Sets the password chosen through the setup link and voids the token; the update is the check, so it works once. */
export async function completeSetup(
  ctx: Pick<AppContext, "db">,
  token: string,
  password: string,
): Promise<{ id: string; username: string }> {
  const chosen = parseOrInvalid("password", Password, password);
  const passwordHash = await hashPassword(chosen);
  return ctx.db.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passwordHash, setupTokenHash: null })
      .where(and(eq(users.setupTokenHash, hashToken(token)), isNull(users.passwordHash)))
      .returning({ id: users.id, username: users.username });
    if (!row) throw new AppError("FORBIDDEN", INVALID_LINK);
    await recordAdminAction(tx, {
      actor: row.username,
      action: "user.password_set",
      targetType: "user",
      targetId: row.id,
      before: { setupPending: true },
      after: { setupPending: false },
    });
    return row;
  });
}
