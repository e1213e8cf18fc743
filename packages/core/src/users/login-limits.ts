import { createHash } from "node:crypto";
import type { Bus } from "../bus/bus.js";

export interface LoginLimits {
  /** Failures one address may make for one user before each further attempt waits. */
  maxAttempts: number;
  /** The first wait; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest wait, and the window of the per-address cap. */
  lockoutMs: number;
  /** Attempts one address may have fail in a `lockoutMs` window, across every username. */
  maxPerAddress: number;
  /** How long the failures of a user and address are remembered. */
  memoryMs: number;
}

/** A sign-in that may go ahead: it reports how it ended, which frees or tightens the limits. */
export interface ReservedAttempt {
  ok: true;
  /** Counts a failure; resolves to the time this user and address must wait until, if they must. */
  failed(at: number): Promise<number | undefined>;
  succeeded(): Promise<void>;
}

export type Reservation = ReservedAttempt | { ok: false; retryAfterMs: number };

/**
 * Takes a place for one sign-in attempt before its password is hashed, so a parallel burst gets
 * no more guesses than a patient attacker. Limits are per username and address: after
 * `maxAttempts` failures, that pair waits `firstDelayMs`, doubling with each further failure up
 * to `lockoutMs`, while the same user signs in from anywhere else. Each address also has a cap
 * across usernames. Attempts take numbered tickets (the bus's atomic increment): before the
 * first wait there are `maxAttempts` of them, after each wait one.
 */
export async function reserveLoginAttempt(
  bus: Pick<Bus, "get" | "set" | "delete" | "increment">,
  limits: LoginLimits,
  { username, address, at }: { username: string; address: string; at: number },
): Promise<Reservation> {
  const pair = windowed(`login:pair:${digest(`${username}\n${address}`)}`, limits.memoryMs, at);
  const addr = windowed(`login:address:${digest(address)}`, limits.lockoutMs, at);
  const generation = await bus.get(`${pair.key}:wait`);
  const waitUntil = Number(generation ?? 0);
  if (waitUntil > at) return { ok: false, retryAfterMs: waitUntil - at };

  const [tries, successes] = await Promise.all([
    bus.increment(`${addr.key}:tries`, addr.ttlMs),
    bus.get(`${addr.key}:ok`),
  ]);
  if (tries - Number(successes ?? 0) > limits.maxPerAddress) return { ok: false, retryAfterMs: addr.endsIn };
  const ticketKey = `${pair.key}:ticket:${generation ?? 0}`;
  const ticket = await bus.increment(ticketKey, pair.ttlMs);
  // Past the tickets of this generation, another attempt is being checked right now.
  if (ticket > (generation ? 1 : limits.maxAttempts)) return { ok: false, retryAfterMs: limits.firstDelayMs };

  return {
    ok: true,
    async failed(failedAt) {
      const failures = await bus.increment(`${pair.key}:failures`, pair.ttlMs);
      if (failures < limits.maxAttempts) return undefined;
      const delay = Math.min(limits.lockoutMs, limits.firstDelayMs * 2 ** (failures - limits.maxAttempts));
      const until = failedAt + delay;
      await bus.set(`${pair.key}:wait`, String(until), { ttlMs: pair.ttlMs });
      return until;
    },
    async succeeded() {
      await Promise.all([
        bus.delete(`${pair.key}:failures`),
        bus.delete(`${pair.key}:wait`),
        bus.delete(ticketKey),
        bus.delete(`${pair.key}:ticket:0`),
        bus.increment(`${addr.key}:ok`, addr.ttlMs),
      ]);
    },
  };
}

// Fixed windows, named by their number: every key of a window expires with it, and the time left
// is known without asking the bus for a TTL.
function windowed(prefix: string, lengthMs: number, at: number) {
  const index = Math.floor(at / lengthMs);
  const endsIn = (index + 1) * lengthMs - at;
  return { key: `${prefix}:${index}`, endsIn, ttlMs: endsIn + 1_000 };
}

// Bounded, separator-free keys whatever a username or a forwarded address holds.
const digest = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);
