import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { type LoginLimits, type ReservedAttempt, reserveLoginAttempt } from "./login-limits.js";
import type { PasswordGate } from "./password-gate.js";

export interface PasswordAttemptOptions {
  /** The process's password gate: how many hashes run at once, and how many wait. */
  gate: PasswordGate;
  now?: (() => Date) | undefined;
  /** Failed attempts one address may make per LOGIN_LOCKOUT_MS; default 4 × LOGIN_MAX_ATTEMPTS. */
  maxAttemptsPerIp?: number | undefined;
  /** The first wait after LOGIN_MAX_ATTEMPTS failures; default 1 s. */
  firstDelayMs?: number | undefined;
}

type UserRow = typeof users.$inferSelect;

export type PasswordAttempt =
  | { ok: true; user: UserRow }
  | { ok: false; reason: "invalid"; userId?: string | undefined }
  | { ok: false; reason: "locked" | "busy"; retryAfterSeconds: number };

export type AttemptContext = Pick<AppContext, "db" | "bus" | "config">;

// A failure of one user and address is remembered this long (a day), unless they sign in.
const FAILURE_MEMORY_MS = 24 * 60 * 60_000;

/**
 * One check of a person's password, as sign-in and a password change both make it: a place at the
 * password gate (else "busy"), a reserved attempt for this name and address (else "locked", with
 * how long to wait), then the user's row and the hash. Names that do not exist, or belong to a
 * disabled user, are limited and timed like names that do.
 */
export async function attemptPassword(
  ctx: AttemptContext,
  input: {
    username: string;
    password: string;
    clientIp: string;
    findUser: () => Promise<UserRow | undefined>;
  },
  options: PasswordAttemptOptions,
): Promise<PasswordAttempt> {
  const now = options.now ?? (() => new Date());
  const turn = options.gate.admit();
  if (!turn) return { ok: false, reason: "busy", retryAfterSeconds: 1 };
  let reservation: Awaited<ReturnType<typeof reserveLoginAttempt>>;
  try {
    reservation = await reserveLoginAttempt(ctx.bus, limitsOf(ctx, options), {
      username: input.username.toLowerCase(),
      address: input.clientIp,
      at: now().getTime(),
    });
  } catch (error) {
    turn.cancel();
    throw error;
  }
  if (!reservation.ok) {
    turn.cancel();
    return {
      ok: false,
      reason: "locked",
      retryAfterSeconds: Math.max(1, Math.ceil(reservation.retryAfterMs / 1_000)),
    };
  }

  let settled = false;
  try {
    const row = await input.findUser();
    const usable = row && row.passwordHash !== null && row.disabledAt === null ? row : undefined;
    const matches = await turn.check(input.password, usable?.passwordHash ?? undefined);
    settled = true;
    if (!usable || !matches) {
      await failed(ctx, reservation, row?.id, now());
      return { ok: false, reason: "invalid", userId: row?.id };
    }
    await Promise.all([
      reservation.succeeded(),
      ctx.db.db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, usable.id)),
    ]);
    return { ok: true, user: usable };
  } finally {
    turn.cancel();
    // An attempt that ended in an error still spent its ticket: count it, so the limits move on.
    if (!settled) await reservation.failed(now().getTime()).catch(() => undefined);
  }
}

function limitsOf(ctx: AttemptContext, options: PasswordAttemptOptions): LoginLimits {
  const { LOGIN_MAX_ATTEMPTS: maxAttempts, LOGIN_LOCKOUT_MS: lockoutMs } = ctx.config;
  return {
    maxAttempts,
    lockoutMs,
    firstDelayMs: Math.min(options.firstDelayMs ?? 1_000, lockoutMs),
    maxPerAddress: options.maxAttemptsPerIp ?? maxAttempts * 4,
    memoryMs: Math.max(FAILURE_MEMORY_MS, lockoutMs),
  };
}

// The row shows admins how many attempts failed and until when someone is kept waiting; it
// decides nothing (the bus does, per address).
async function failed(ctx: AttemptContext, attempt: ReservedAttempt, userId: string | undefined, at: Date) {
  const until = await attempt.failed(at.getTime());
  if (!userId) return;
  await ctx.db.db
    .update(users)
    .set({
      failedLogins: sql`${users.failedLogins} + 1`,
      ...(until === undefined ? {} : { lockedUntil: new Date(until) }),
    })
    .where(eq(users.id, userId));
}
