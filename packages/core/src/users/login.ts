import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { burnPasswordCheck, verifyPassword } from "./password.js";
import { createSession, type NewSession } from "./sessions.js";

export interface LoginInput {
  username: string;
  password: string;
  /** The client's address, for the per-address attempt limit. */
  clientIp: string;
}

export interface LoginOptions {
  now?: () => Date;
  /** Failed attempts one address may make per LOGIN_LOCKOUT_MS; default 4 × LOGIN_MAX_ATTEMPTS. */
  maxAttemptsPerIp?: number;
}

/** The one answer for an unknown user, a disabled one and a wrong password alike. */
export const INVALID_LOGIN = "Wrong username or password.";
export const LOCKED_LOGIN = "Too many failed sign-in attempts. Try again later.";

export type LoginResult =
  | { ok: true; session: NewSession }
  | { ok: false; reason: "invalid" | "locked"; message: string };

type LoginContext = Pick<AppContext, "db" | "bus" | "config" | "log">;

/**
 * Checks a password and starts a session. Failures are counted per username and per address on
 * the bus (so the limit holds across processes, and for names that do not exist, which must look
 * like names that do) and per user in the database (`locked_until`, shown to admins).
 */
export async function login(
  ctx: LoginContext,
  input: LoginInput,
  options: LoginOptions = {},
): Promise<LoginResult> {
  const { LOGIN_MAX_ATTEMPTS: maxAttempts, LOGIN_LOCKOUT_MS: lockoutMs } = ctx.config;
  const now = options.now ?? (() => new Date());
  const maxPerIp = options.maxAttemptsPerIp ?? maxAttempts * 4;
  const userKey = `login:user:${input.username.trim().toLowerCase()}`;
  const ipKey = `login:ip:${input.clientIp}`;

  const [userFails, ipFails, [row]] = await Promise.all([
    ctx.bus.get(userKey),
    ctx.bus.get(ipKey),
    ctx.db.db.select().from(users).where(eq(users.username, input.username.trim())),
  ]);
  const locked =
    Number(userFails ?? 0) >= maxAttempts ||
    Number(ipFails ?? 0) >= maxPerIp ||
    (row?.lockedUntil != null && row.lockedUntil > now());
  if (locked) return { ok: false, reason: "locked", message: LOCKED_LOGIN };

  const usable = row && row.passwordHash !== null && row.disabledAt === null ? row : undefined;
  const matches = usable?.passwordHash
    ? await verifyPassword(input.password, usable.passwordHash)
    : await burnPasswordCheck(input.password).then(() => false);

  if (!usable || !matches) {
    await Promise.all([ctx.bus.increment(userKey, lockoutMs), ctx.bus.increment(ipKey, lockoutMs)]);
    if (row) await countFailure(ctx, row.id, maxAttempts, new Date(now().getTime() + lockoutMs));
    ctx.log.info({ username: input.username, clientIp: input.clientIp }, "admin sign-in failed");
    return { ok: false, reason: "invalid", message: INVALID_LOGIN };
  }

  await Promise.all([
    ctx.bus.delete(userKey),
    ctx.db.db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, usable.id)),
  ]);
  const session = await createSession(
    ctx,
    { id: usable.id, username: usable.username, role: usable.role },
    { now },
  );
  ctx.log.info({ username: usable.username }, "admin signed in");
  return { ok: true, session };
}

async function countFailure(ctx: LoginContext, id: string, maxAttempts: number, lockUntil: Date) {
  await ctx.db.db
    .update(users)
    .set({
      failedLogins: sql`${users.failedLogins} + 1`,
      lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${maxAttempts} then ${lockUntil.toISOString()}::timestamptz else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, id));
}
