import { eq } from "drizzle-orm";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { malformation } from "../text/well-formed.js";
import { attemptPassword, type PasswordAttemptOptions } from "./password-attempt.js";
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from "./roles.js";
import { createSession, type NewSession } from "./sessions.js";

export interface LoginInput {
  username: string;
  password: string;
  /** The client's address: limits apply per username and address, and per address. */
  clientIp: string;
}

export type LoginOptions = PasswordAttemptOptions;

/** The one answer for an unknown user, a disabled one and a wrong password alike. */
export const INVALID_LOGIN = "Wrong username or password.";
export const BUSY_LOGIN = "Sign-in is busy. Try again in a moment.";
export const lockedLogin = (seconds: number) =>
  `Too many failed sign-in attempts. Try again in ${seconds} s.`;

export type LoginResult =
  | { ok: true; session: NewSession }
  | { ok: false; reason: "invalid"; message: string }
  | { ok: false; reason: "locked" | "busy"; message: string; retryAfterSeconds: number };

const invalid = { ok: false, reason: "invalid", message: INVALID_LOGIN } as const;

/**
 * Checks a password and starts a session. Work is spent in order of cost, and only as far as an
 * attempt deserves: lengths first (no hashing, bus key or query for a megabyte of name), then the
 * gate and the limits (`attemptPassword`).
 */
export async function login(
  ctx: Pick<AppContext, "db" | "bus" | "config" | "log">,
  input: LoginInput,
  options: LoginOptions,
): Promise<LoginResult> {
  const username = input.username.length <= MAX_USERNAME_LENGTH * 4 ? input.username.trim() : "";
  if (!plausible(username, MAX_USERNAME_LENGTH) || !plausible(input.password, MAX_PASSWORD_LENGTH))
    return invalid;
  const attempt = await attemptPassword(
    ctx,
    {
      username,
      password: input.password,
      clientIp: input.clientIp,
      findUser: async () => (await ctx.db.db.select().from(users).where(eq(users.username, username)))[0],
    },
    options,
  );
  if (!attempt.ok && attempt.reason === "invalid") {
    // Never what was typed: people type passwords into the name field. The id names a real user.
    ctx.log.info({ userId: attempt.userId, clientIp: input.clientIp }, "admin sign-in failed");
    return invalid;
  }
  if (!attempt.ok && attempt.reason === "busy") {
    return { ok: false, reason: "busy", message: BUSY_LOGIN, retryAfterSeconds: attempt.retryAfterSeconds };
  }
  if (!attempt.ok) {
    ctx.log.info({ clientIp: input.clientIp }, "admin sign-in refused: too many failed attempts");
    const seconds = attempt.retryAfterSeconds;
    return { ok: false, reason: "locked", message: lockedLogin(seconds), retryAfterSeconds: seconds };
  }
  const { id, username: name, role } = attempt.user;
  const session = await createSession(ctx, { id, username: name, role }, { now: options.now });
  ctx.log.info({ userId: id, username: name }, "admin signed in");
  return { ok: true, session };
}

/** Could be a name or password at all: not empty, not too long, nothing that cannot be stored. */
export const plausible = (text: string, max: number) =>
  text.length > 0 && text.length <= max && !malformation(text);
