import { randomBytes } from "node:crypto";
import type { AuditQueue } from "../audit/queue.js";
import type { Bus } from "../bus/bus.js";
import type { Logger } from "../log/log.js";
import { publishRecord, withdrawRecord } from "./index-key.js";
import { TERMINATE_CHANNEL } from "./record.js";
import { type PresenceSource, snapshot } from "./snapshot.js";

export type { LocalSession, PresenceSource } from "./snapshot.js";

/** This process's presence on the bus; see `createPresence`. */
export interface Presence {
  readonly processId: string;
  /** Joins the heartbeat (the first source starts it); the returned function leaves it. */
  register(source: PresenceSource): Promise<() => Promise<void>>;
  /** Publishes a beat now, e.g. after a session closed on request. */
  beat(): Promise<void>;
  /** Leaves the heartbeat and withdraws this process's record. */
  close(): Promise<void>;
}

export interface PresenceOptions {
  bus: Bus;
  log: Pick<Logger, "warn" | "info">;
  audit?: Pick<AuditQueue, "depth" | "dropped">;
  /** How often to beat; the record lives three beats, so one lost beat does not hide a process. */
  beatMs?: number;
  processId?: string;
  now?: () => number;
}

/**
 * Each process's presence on the bus: a record under `presence:process:<id>` with a TTL of three
 * beats, plus its id in one index key. The bus has no key listing, and pub/sub beats would leave
 * every reader (each admin replica) stateful and blind until the next beat; an index key works the
 * same on Redis and the in-process bus and any reader answers at once. Its read-modify-write can
 * lose a concurrent writer's id, but every beat adds its own id back, so that lasts one beat.
 */
export function createPresence({
  bus,
  log,
  audit,
  beatMs = 5_000,
  processId = randomBytes(6).toString("hex"),
  now = Date.now,
}: PresenceOptions): Presence {
  const ttlMs = beatMs * 3;
  const sources = new Set<PresenceSource>();
  const startedAt = new Date(now()).toISOString();
  let timer: NodeJS.Timeout | undefined;
  let stopRestored: (() => void) | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let failing = false;

  // Retried on every beat: a process that could not subscribe (the bus was away) still can later.
  async function subscribeToTerminate(): Promise<void> {
    if (unsubscribe || ![...sources].some((source) => source.terminate)) return;
    try {
      unsubscribe = await bus.subscribe(TERMINATE_CHANNEL, (message) => void onTerminate(message));
    } catch (error) {
      log.warn({ err: String(error) }, "cannot subscribe to session termination requests; will retry");
    }
  }

  async function beat(): Promise<void> {
    if (sources.size === 0) return;
    await subscribeToTerminate();
    await Promise.all([...sources].map((source) => source.refresh?.()));
    try {
      await publishRecord(bus, snapshot({ processId, startedAt, sources, audit, now }), ttlMs);
      if (failing) log.info("presence heartbeat restored");
      failing = false;
    } catch (error) {
      if (!failing) log.warn({ err: String(error) }, "presence heartbeat failed; will retry");
      failing = true;
    }
  }

  async function onTerminate(message: string) {
    let id: unknown;
    try {
      id = (JSON.parse(message) as { id?: unknown }).id;
    } catch {
      return;
    }
    if (typeof id !== "string") return;
    const closed = await Promise.all(
      [...sources].map((source) => source.terminate?.(id).catch(() => false) ?? false),
    );
    if (closed.some(Boolean)) {
      log.info({ session: id }, "MCP session terminated on request");
      await beat();
    }
  }

  async function withdraw() {
    clearInterval(timer);
    timer = undefined;
    stopRestored?.();
    stopRestored = undefined;
    await unsubscribe?.().catch(() => undefined);
    unsubscribe = undefined;
    await withdrawRecord(bus, processId, ttlMs);
  }

  return {
    processId,
    async register(source) {
      sources.add(source);
      if (!timer) {
        timer = setInterval(() => void beat(), beatMs);
        timer.unref();
        // A restarted Redis has lost every record and TTL entry: beat at once rather than a beat late.
        stopRestored = bus.onRestored(() => void beat());
      }
      await beat();
      return async () => {
        if (!sources.delete(source)) return;
        if (sources.size === 0) await withdraw();
        else await beat();
      };
    },
    beat,
    async close() {
      if (sources.size === 0 && !timer) return;
      sources.clear();
      await withdraw();
    },
  };
}
