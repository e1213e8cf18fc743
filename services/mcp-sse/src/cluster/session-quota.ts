import { createHash } from "node:crypto";
import type { Bus, Logger } from "@mcp-tools/core";

/**
 * How many MCP sessions each caller holds, counted on the bus so that the limit holds across
 * replicas (a balancer sends a caller's `initialize` calls anywhere). A caller's places are a set
 * of expiring members, one per session, which this process refreshes every beat while it holds
 * the session: a replica that dies without a word stops counting once its members expire.
 */
export interface SessionQuota {
  /**
   * Takes a place for session `sessionId` of `caller`; false when the caller already holds `max`.
   * While the bus cannot be reached the limit is not enforced (logged), as rate limits are not.
   */
  claim(caller: string, sessionId: string): Promise<boolean>;
  /** Gives the session's place back at once; safe to call for any id, more than once. */
  release(sessionId: string): void;
  /** Refreshes the places this process holds every beat, and at once when the bus comes back. */
  start(): void;
  close(): void;
}

export interface SessionQuotaOptions {
  bus: Bus;
  log: Pick<Logger, "warn" | "info">;
  /** MAX_SESSIONS_PER_CALLER. */
  max: number;
  /** The session directory's beat: places live six of them, as directory entries do. */
  beatMs?: number;
}

/** Where a caller's places are; the caller is an API key's principal id or `addr:<peer address>`. */
export const quotaKeyOf = (caller: string) => `mcp:caller-sessions:${caller}`;

// A session id is a bearer secret: the set holds its hash, so reading Redis yields no usable id.
const memberOf = (sessionId: string) => createHash("sha256").update(sessionId).digest("base64url");

export function createSessionQuota({ bus, log, max, beatMs = 5_000 }: SessionQuotaOptions): SessionQuota {
  const ttlMs = beatMs * 6;
  const held = new Map<string, { key: string; member: string }>();
  let timer: NodeJS.Timeout | undefined;
  let stopRestored: (() => void) | undefined;
  let failing = false;

  const report = (error: unknown) => {
    if (!failing) log.warn({ err: String(error) }, "session limit per caller not enforced: bus unreachable");
    failing = true;
  };
  const reachable = () => {
    if (failing) log.info("session limit per caller enforced again");
    failing = false;
  };

  async function refresh() {
    try {
      await Promise.all([...held.values()].map(({ key, member }) => bus.addMember(key, member, { ttlMs })));
      reachable();
    } catch (error) {
      report(error);
    }
  }

  return {
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
    start() {
      if (timer) return;
      timer = setInterval(() => void refresh(), beatMs);
      timer.unref();
      stopRestored = bus.onRestored(() => void refresh());
    },
    close() {
      clearInterval(timer);
      timer = undefined;
      stopRestored?.();
    },
  };
}
