import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import { type ApiKey, toApiKey } from "./row.js";
import { prefixOf, secretMatches } from "./secret.js";

/** Why a token was refused; each maps to a 401 with its own description. */
export type KeyRefusal = "missing" | "invalid" | "expired" | "revoked";

export type VerifyResult = { ok: true; key: ApiKey } | { ok: false; reason: KeyRefusal };

export interface VerifyOptions {
  now?: () => Date;
  /** Remembers when each key's `last_used_at` was last written; share one per process. */
  lastUsed?: LastUsedThrottle;
}

/** Writes `last_used_at` at most once a minute per key, so a busy key costs no write per request. */
export interface LastUsedThrottle {
  due(keyId: string, now: number): boolean;
}

export function createLastUsedThrottle(intervalMs = 60_000): LastUsedThrottle {
  const written = new Map<string, number>();
  return {
    due(keyId, now) {
      const last = written.get(keyId);
      if (last !== undefined && now - last < intervalMs) return false;
      written.set(keyId, now);
      return true;
    },
  };
}

type KeyRow = typeof apiKeys.$inferSelect;

/** The stored key a token names by its prefix, hash included; undefined when none. */
export async function loadKeyRow(db: Db, prefix: string): Promise<KeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix)).limit(1);
  return row;
}

/**
 * Checks a bearer token against the stored key: a constant-time hash comparison, then revocation
 * and expiry; `last_used_at` is written when the throttle says so.
 */
export async function checkKey(
  db: Db,
  row: KeyRow | undefined,
  token: string,
  { now = () => new Date(), lastUsed }: VerifyOptions = {},
): Promise<VerifyResult> {
  if (!row || !secretMatches(token, row.secretHash)) return { ok: false, reason: "invalid" };
  const at = now();
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt <= at) return { ok: false, reason: "expired" };
  if (!lastUsed || lastUsed.due(row.id, at.getTime())) {
    // Bookkeeping only: a failed write must not refuse a valid key.
    await db
      .update(apiKeys)
      .set({ lastUsedAt: at })
      .where(eq(apiKeys.id, row.id))
      .catch(() => undefined);
  }
  const { secretHash: _hash, ...rest } = row;
  return { ok: true, key: toApiKey(rest) };
}

/** Checks a bearer token with one lookup by its unique prefix; `createKeyVerifier` caches that lookup. */
export async function verifyApiKey(
  db: Db,
  token: string | undefined,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  if (!token) return { ok: false, reason: "missing" };
  const prefix = prefixOf(token);
  if (!prefix) return { ok: false, reason: "invalid" };
  return checkKey(db, await loadKeyRow(db, prefix), token, options);
}
