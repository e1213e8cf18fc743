import { and, eq, ne } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { adminSessions, users } from "../db/schema.js";
import { AppError } from "../errors.js";
import { parseOrInvalid } from "./create.js";
import { plausible } from "./login.js";
import { hashPassword } from "./password.js";
import { attemptPassword, type PasswordAttemptOptions } from "./password-attempt.js";
import { MAX_PASSWORD_LENGTH, Password } from "./roles.js";
import { hashToken } from "./tokens.js";

export interface ChangePasswordInput {
  userId: string;
  /** The session making the change, which stays signed in; every other one ends. */
  sessionToken: string;
  currentPassword: string;
  newPassword: string;
}

export interface ChangePasswordOptions extends PasswordAttemptOptions {
  /** The client's address: a wrong current password counts against it like a failed sign-in. */
  clientIp: string;
}

const WRONG = "currentPassword: is not your current password";

/**
 * Changes a signed-in person's own password. The current one is checked as a sign-in checks it
 * (the gate, and the same limits per name and address, so a stolen session cannot guess it
 * faster); then, in one transaction, the new hash is stored, every other session of the user
 * ends, and the change is audited.
 */
export async function changePassword(
  ctx: Pick<AppContext, "db" | "bus" | "config" | "log">,
  input: ChangePasswordInput,
  options: ChangePasswordOptions,
): Promise<{ otherSessionsEnded: number }> {
  const next = parseOrInvalid("newPassword", Password, input.newPassword);
  if (next === input.currentPassword)
    throw new AppError("INVALID", "newPassword: must differ from the current one", {
      details: { field: "newPassword" },
    });
  if (!plausible(input.currentPassword, MAX_PASSWORD_LENGTH)) throw wrong();
  const [user] = await ctx.db.db.select().from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError("NOT_FOUND", "No such user");
  const attempt = await attemptPassword(
    ctx,
    {
      username: user.username,
      password: input.currentPassword,
      clientIp: options.clientIp,
      findUser: async () => (await ctx.db.db.select().from(users).where(eq(users.id, user.id)))[0],
    },
    options,
  );
  if (!attempt.ok) {
    if (attempt.reason === "invalid") throw wrong();
    const wait = { details: { retryAfterSeconds: attempt.retryAfterSeconds } };
    if (attempt.reason === "busy") throw new AppError("UNAVAILABLE", "Busy: try again in a moment", wait);
    throw new AppError(
      "RATE_LIMITED",
      `Too many wrong passwords: try again in ${attempt.retryAfterSeconds} s`,
      wait,
    );
  }
  const passwordHash = await hashPassword(next);
  return ctx.db.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    const ended = await tx
      .delete(adminSessions)
      .where(
        and(eq(adminSessions.userId, user.id), ne(adminSessions.tokenHash, hashToken(input.sessionToken))),
      )
      .returning({ tokenHash: adminSessions.tokenHash });
    await recordAdminAction(tx, {
      actor: user.username,
      action: "user.password_changed",
      targetType: "user",
      targetId: user.id,
      after: { otherSessionsEnded: ended.length },
    });
    return { otherSessionsEnded: ended.length };
  });
}

const wrong = () => new AppError("INVALID", WRONG, { details: { field: "currentPassword" } });
