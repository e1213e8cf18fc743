import { createHash } from "node:crypto";
import type { Bus, Logger } from "@mcp-tools/core";
import { ENTRY_TTL_MS } from "./directory.js";

/**
 * How many MCP sessions each caller holds, counted on the bus so that the limit holds across
 * replicas (a balancer sends a caller's `initialize` calls anywhere). A caller's places are a set
 * of expiring members, one per session, which this process renews on its presence heartbeat while
 * it holds the session: a replica that dies without a word stops counting once its members expire.
 */
export interface SessionQuota {
  /**
   * Takes a place for session `sessionId` of `caller`; false when the caller already holds `max`.
   * While the bus cannot be reached the limit is not enforced (logged), as rate limits are not.
   */
  claim(caller: string, sessionId: string): Promise<boolean>;
  /** Gives the session's place back at once; safe to call for any id, more than once. */
  release(sessionId: string): void;
  /** Renews the places this process holds; run on every beat. Never rejects. */
  refresh(): Promise<void>;
}

export interface SessionQuotaOptions {
  bus: Bus;
  log: Pick<Logger, "warn" | "info">;
  /** MAX_SESSIONS_PER_CALLER. */
  max: number;
  /** How long a place outlives its last renewal; as long as a directory entry by default. */
  ttlMs?: number;
}

/** Where a caller's places are; the caller is an API key's principal id or `addr:<peer address>`. */
export const quotaKeyOf = (caller: string) => `mcp:caller-sessions:${caller}`;

// A session id is a bearer secret: the set holds its hash, so reading Redis yields no usable id.
const memberOf = (sessionId: string) => createHash("sha256").update(sessionId).digest("base64url");

export function createSessionQuota({
  bus,
  log,
  max,
  ttlMs = ENTRY_TTL_MS,
}: SessionQuotaOptions): SessionQuota {
  const held = new Map<string, { key: string; member: string }>();
  let failing = false;

  const report = (error: unknown) => {
    if (!failing) log.warn({ err: String(error) }, "session limit per caller not enforced: bus unreachable");
    failing = true;
  };
  const reachable = () => {
    if (failing) log.info("session limit per caller enforced again");
    failing = false;
  };

  return {
    async refresh() {
      try {
        await Promise.all([...held.values()].map(({ key, member }) => bus.addMember(key, member, { ttlMs })));
        reachable();
      } catch (error) {
        report(error);
      }
    },
    async claim(caller, sessionId) {
      const place = { key: quotaKeyOf(caller), member: memberOf(sessionId) };
      let admitted = true;
      try {
        admitted = await bus.addMember(place.key, place.member, { ttlMs, max });
        reachable();
      } catch (error) {
        report(error);
      }
      if (admitted) held.set(sessionId, place);
      return admitted;
    },
    release(sessionId) {
      const place = held.get(sessionId);
      if (!place) return;
      held.delete(sessionId);
      // Best effort: a place the bus did not hear about expires with its TTL.
      bus.removeMember(place.key, place.member).catch(() => undefined);
    },
  };
}
