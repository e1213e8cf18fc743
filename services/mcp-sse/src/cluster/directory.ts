import type { Bus, Logger } from "@mcp-tools/core";
import { sessionKey } from "./session-key.js";

/** Where a session lives: the process that holds its MCP server and streams. */
export interface DirectoryEntry {
  /** The owning process (its presence id), whose relay channel takes the session's requests. */
  owner: string;
  principalId: string;
  kind: "streamable-http" | "sse";
}

/** A session this process holds, as the directory records it. */
export interface ClaimedSession {
  id: string;
  principalId: string;
  kind: DirectoryEntry["kind"];
}

/**
 * The session directory on the bus: session → owning process, so any replica can route a request
 * to the owner. Entries carry a TTL, renewed on the process's presence heartbeat (which also beats
 * at once when Redis comes back, since a restarted Redis has lost them), so the sessions of a
 * process that vanished without a word fade out. A dead owner is noticed sooner still: nobody
 * receives what is published to it.
 */
export interface SessionDirectory {
  /**
   * Records that this process holds the session; resolves once written, or once the write has
   * failed (logged; the next beat retries). Never rejects.
   */
  claim(session: ClaimedSession): Promise<void>;
  /** Forgets the session (it closed here); best effort, the TTL ends it otherwise. */
  release(id: string): void;
  /** The session's entry, from a short-lived cache when possible; throws when the bus is down. */
  lookup(id: string): Promise<DirectoryEntry | undefined>;
  /** Drops a cached entry that proved wrong (the owner answered 404 or is gone). */
  evict(id: string): void;
  /** Removes the entry from the bus too: its owner is gone. */
  remove(id: string): Promise<void>;
  /** Re-claims the sessions this process holds; run on every beat. Never rejects. */
  refresh(held: readonly ClaimedSession[]): Promise<void>;
}

export interface SessionDirectoryOptions {
  bus: Bus;
  processId: string;
  log: Pick<Logger, "warn" | "info">;
  /** How long an entry outlives its last renewal: several heartbeats, so a stalled Redis keeps them. */
  ttlMs?: number;
  /** How long a looked-up entry is trusted without asking the bus again. */
  cacheMs?: number;
  now?: () => number;
}

const MAX_CACHED = 10_000;
/** Six presence beats (5 s each): a Redis that stalls for a while keeps the entries. */
export const ENTRY_TTL_MS = 30_000;

const keyOf = (id: string) => `mcp:session:${sessionKey(id)}`;

export function createSessionDirectory({
  bus,
  processId,
  log,
  ttlMs = ENTRY_TTL_MS,
  cacheMs = 5_000,
  now = Date.now,
}: SessionDirectoryOptions): SessionDirectory {
  const cache = new Map<string, { entry: DirectoryEntry; until: number }>();
  let failing = false;

  const write = (session: ClaimedSession) =>
    bus.set(
      keyOf(session.id),
      JSON.stringify({ owner: processId, principalId: session.principalId, kind: session.kind }),
      { ttlMs },
    );

  const report = (error: unknown) => {
    if (!failing) log.warn({ err: String(error) }, "cannot record MCP sessions on the bus; will retry");
    failing = true;
  };

  return {
    async refresh(sessions) {
      try {
        await Promise.all(sessions.map(write));
        if (failing) log.info("MCP sessions recorded on the bus again");
        failing = false;
      } catch (error) {
        report(error);
      }
    },
    claim(session) {
      return write(session).catch(report);
    },
    release(id) {
      cache.delete(id);
      bus.delete(keyOf(id)).catch(() => undefined);
    },
    async lookup(id) {
      const cached = cache.get(id);
      if (cached && cached.until > now()) return cached.entry;
      const entry = parseEntry(await bus.get(keyOf(id)));
      cache.delete(id);
      if (!entry) return undefined;
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
      cache.set(id, { entry, until: now() + cacheMs });
      return entry;
    },
    evict(id) {
      cache.delete(id);
    },
    async remove(id) {
      cache.delete(id);
      await bus.delete(keyOf(id));
    },
  };
}

function parseEntry(text: string | undefined): DirectoryEntry | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<DirectoryEntry>;
    if (typeof value.owner !== "string" || typeof value.principalId !== "string") return undefined;
    if (value.kind !== "sse" && value.kind !== "streamable-http") return undefined;
    return { owner: value.owner, principalId: value.principalId, kind: value.kind };
  } catch {
    return undefined;
  }
}
