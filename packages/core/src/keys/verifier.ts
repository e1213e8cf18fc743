import type { Bus } from "../bus/bus.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../log/log.js";
import { prefixOf } from "./secret.js";
import { checkKey, createLastUsedThrottle, loadKeyRow, type VerifyResult } from "./verify.js";

/** Bus channel on which a change to a key (revocation) is announced, with the key's prefix. */
export const KEYS_CHANGED = "keys:changed";

/** Verifies bearer tokens for one process, remembering keys it has looked up. */
export interface KeyVerifier {
  verify(token: string | undefined): Promise<VerifyResult>;
  close(): Promise<void>;
}

export interface KeyVerifierOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  /** How long a looked-up key is trusted without asking the database again. */
  ttlMs?: number;
  now?: () => Date;
}

/**
 * Looking the key up on every request put a database query on every MCP call. Keys are cached
 * here instead; a revocation is announced on the bus and drops the key in every process at once,
 * and the TTL bounds how long a missed announcement (Redis down) can keep a revoked key alive.
 * Expiry is checked on every request against the cached row.
 */
export async function createKeyVerifier({
  db,
  bus,
  log,
  ttlMs = 30_000,
  now = () => new Date(),
}: KeyVerifierOptions): Promise<KeyVerifier> {
  const cache = new Map<string, { row: Awaited<ReturnType<typeof loadKeyRow>>; until: number }>();
  const lastUsed = createLastUsedThrottle();
  const unsubscribe = await bus.subscribe(KEYS_CHANGED, (prefix) => {
    cache.delete(prefix);
  });
  return {
    async verify(token) {
      if (!token) return { ok: false, reason: "missing" };
      const prefix = prefixOf(token);
      if (!prefix) return { ok: false, reason: "invalid" };
      const at = now().getTime();
      let cached = cache.get(prefix);
      if (!cached || cached.until <= at) {
        const row = await loadKeyRow(db, prefix);
        // Unknown prefixes are not remembered: a flood of made-up tokens must not grow the cache.
        if (!row) return { ok: false, reason: "invalid" };
        cached = { row, until: at + ttlMs };
        cache.set(prefix, cached);
      }
      return checkKey(db, cached.row, token, { now, lastUsed });
    },
    async close() {
      cache.clear();
      await unsubscribe().catch((error: unknown) =>
        log.debug({ err: error }, "key cache unsubscribe failed"),
      );
    },
  };
}
