import { and, eq, gt, isNull } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { AppError } from "../errors.js";
import { parseOrInvalid } from "./create.js";
import { hashPassword } from "./password.js";
import { Password } from "./roles.js";
import { hashToken } from "./tokens.js";

/** What a link that is not (or no longer) good is answered with, and how to get a fresh one. */
export const INVALID_SETUP_LINK =
  "This setup link is invalid, has expired or has already been used. Restart the admin service: its log shows a fresh one.";

export interface SetupClock {
  now?: () => Date;
}

// The token matches, no password was chosen yet, and the link has not expired (a link from before
// expiries were recorded has none, and counts as expired).
const pendingWith = (token: string, now: Date) =>
  and(
    eq(users.setupTokenHash, hashToken(token)),
    isNull(users.passwordHash),
    gt(users.setupTokenExpiresAt, now),
  );

/** Whether a setup token is still good (the page checks before showing the form). */
export async function isSetupTokenValid(
  ctx: Pick<AppContext, "db">,
  token: string,
  { now = () => new Date() }: SetupClock = {},
): Promise<boolean> {
  const [row] = await ctx.db.db.select({ id: users.id }).from(users).where(pendingWith(token, now()));
  return row !== undefined;
}

/** Sets the password chosen through the setup link and voids the token; the update is the check, so it works once. */
export async function completeSetup(
  ctx: Pick<AppContext, "db">,
  token: string,
  password: string,
  { now = () => new Date() }: SetupClock = {},
): Promise<{ id: string; username: string }> {
  const chosen = parseOrInvalid("password", Password, password);
  const passwordHash = await hashPassword(chosen);
  return ctx.db.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passwordHash, setupTokenHash: null, setupTokenExpiresAt: null })
      .where(pendingWith(token, now()))
      .returning({ id: users.id, username: users.username });
    if (!row) throw new AppError("FORBIDDEN", INVALID_SETUP_LINK);
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
