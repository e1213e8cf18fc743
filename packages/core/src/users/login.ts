import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { malformation } from "../text/well-formed.js";
import { type LoginLimits, type ReservedAttempt, reserveLoginAttempt } from "./login-limits.js";
import type { PasswordGate } from "./password-gate.js";
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from "./roles.js";
import { createSession, type NewSession } from "./sessions.js";

export interface LoginInput {
  username: string;
  password: string;
  /** The client's address: limits apply per username and address, and per address. */
  clientIp: string;
}

export interface LoginOptions {
  /** The process's password gate: how many hashes run at once, and how many wait. */
  gate: PasswordGate;
  now?: () => Date;
  /** Failed attempts one address may make per LOGIN_LOCKOUT_MS; default 4 × LOGIN_MAX_ATTEMPTS. */
  maxAttemptsPerIp?: number;
  /** The first wait after LOGIN_MAX_ATTEMPTS failures; default 1 s. */
  firstDelayMs?: number;
}

/** The one answer for an unknown user, a disabled one and a wrong password alike. */
export const INVALID_LOGIN = "Wrong username or password.";
export const BUSY_LOGIN = "Sign-in is busy. Try again in a moment.";
export const lockedLogin = (seconds: number) =>
  `Too many failed sign-in attempts. Try again in ${seconds} s.`;

export type LoginResult =
  | { ok: true; session: NewSession }
  | { ok: false; reason: "invalid"; message: string }
  | { ok: false; reason: "locked" | "busy"; message: string; retryAfterSeconds: number };

type LoginContext = Pick<AppContext, "db" | "bus" | "config" | "log">;

// A failure of one user and address is remembered this long (a day), unless they sign in.
const FAILURE_MEMORY_MS = 24 * 60 * 60_000;
const invalid = { ok: false, reason: "invalid", message: INVALID_LOGIN } as const;

/**
 * Checks a password and starts a session. Work is spent in order of cost, and only as far as an
 * attempt deserves: lengths first (no hashing, bus key or query for a megabyte of name), then a
 * place at the password gate (else "busy"), then a reserved attempt (else "locked", with how long
 * to wait), then the user's row and the hash. Names that do not exist are limited and timed like
 * names that do, so neither reveals who exists.
 */
export async function login(
  ctx: LoginContext,
  input: LoginInput,
  options: LoginOptions,
): Promise<LoginResult> {
  const username = input.username.length <= MAX_USERNAME_LENGTH * 4 ? input.username.trim() : "";
  if (!plausible(username, MAX_USERNAME_LENGTH) || !plausible(input.password, MAX_PASSWORD_LENGTH))
    return invalid;
  const now = options.now ?? (() => new Date());

  const turn = options.gate.admit();
  if (!turn) return { ok: false, reason: "busy", message: BUSY_LOGIN, retryAfterSeconds: 1 };
  const reservation = await reserveLoginAttempt(ctx.bus, limitsOf(ctx, options), {
    username: username.toLowerCase(),
    address: input.clientIp,
    at: now().getTime(),
  }).catch((error: unknown) => {
    turn.cancel();
    throw error;
  });
  if (!reservation.ok) {
    turn.cancel();
    ctx.log.info({ clientIp: input.clientIp }, "admin sign-in refused: too many failed attempts");
    const seconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1_000));
    return { ok: false, reason: "locked", message: lockedLogin(seconds), retryAfterSeconds: seconds };
  }

  let settled = false;
  try {
    const [row] = await ctx.db.db.select().from(users).where(eq(users.username, username));
    const usable = row && row.passwordHash !== null && row.disabledAt === null ? row : undefined;
    const matches = await turn.check(input.password, usable?.passwordHash ?? undefined);
    if (!usable || !matches) {
      settled = true;
      await failed(ctx, reservation, row?.id, now());
      // Never what was typed: people type passwords into the name field. The id names a real user.
      ctx.log.info({ userId: row?.id, clientIp: input.clientIp }, "admin sign-in failed");
      return invalid;
    }
    settled = true;
    await Promise.all([
      reservation.succeeded(),
      ctx.db.db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, usable.id)),
    ]);
    const session = await createSession(
      ctx,
      { id: usable.id, username: usable.username, role: usable.role },
      { now },
    );
    ctx.log.info({ userId: usable.id, username: usable.username }, "admin signed in");
    return { ok: true, session };
  } finally {
    turn.cancel();
    // An attempt that ended in an error still spent its ticket: count it, so the limits move on.
    if (!settled) await reservation.failed(now().getTime()).catch(() => undefined);
  }
}

const plausible = (text: string, max: number) => text.length > 0 && text.length <= max && !malformation(text);

function limitsOf(ctx: LoginContext, options: LoginOptions): LoginLimits {
  const { LOGIN_MAX_ATTEMPTS: maxAttempts, LOGIN_LOCKOUT_MS: lockoutMs } = ctx.config;
  return {
    maxAttempts,
    lockoutMs,
    firstDelayMs: Math.min(options.firstDelayMs ?? 1_000, lockoutMs),
    maxPerAddress: options.maxAttemptsPerIp ?? maxAttempts * 4,
    memoryMs: Math.max(FAILURE_MEMORY_MS, lockoutMs),
  };
}

// The row shows admins how many sign-ins failed and until when someone is kept waiting; it
// decides nothing (the bus does, per address).
async function failed(ctx: LoginContext, attempt: ReservedAttempt, userId: string | undefined, at: Date) {
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
