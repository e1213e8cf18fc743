import type { Bus, BusHandler } from "./bus.js";

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryBusOptions {
  now?: () => number;
  /** Expired keys are swept at most this often, on the next write. */
  sweepIntervalMs?: number;
}

/** The in-process bus; `size` counts the keys held, for tests that watch memory. */
export interface MemoryBus extends Bus {
  readonly size: number;
}

/** The in-process bus: the same contract as Redis, for one process. */
export function createMemoryBus({
  now = Date.now,
  sweepIntervalMs = 1_000,
}: MemoryBusOptions = {}): MemoryBus {
  const channels = new Map<string, Set<BusHandler>>();
  const store = new Map<string, Entry>();
  // Member → when it expires. A set is dropped once empty, so only sets in use take memory.
  const sets = new Map<string, Map<string, number>>();
  let nextSweep = now() + sweepIntervalMs;

  const live = (key: string, at = now()) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= at) {
      store.delete(key);
      return undefined;
    }
    return entry;
  };

  const liveMembers = (key: string) => {
    const members = sets.get(key);
    if (!members) return undefined;
    const at = now();
    for (const [member, expiresAt] of members) if (expiresAt <= at) members.delete(member);
    if (members.size > 0) return members;
    sets.delete(key);
    return undefined;
  };

  // Keys written once and never read again (a counter per client, say) would otherwise stay for
  // good; only writes grow the store, so sweeping on a write bounds it without a timer.
  const write = (key: string, entry: Entry, at = now()) => {
    if (at >= nextSweep) {
      nextSweep = at + sweepIntervalMs;
      for (const [name, held] of store) if (held.expiresAt <= at) store.delete(name);
    }
    store.set(key, entry);
  };

  return {
    kind: "memory",
    get size() {
      return store.size;
    },
    async publish(channel, message) {
      // Deliver asynchronously, as Redis does, so publishers never re-enter their subscribers.
      const handlers = [...(channels.get(channel) ?? [])];
      queueMicrotask(() => {
        for (const handler of handlers) handler(message);
      });
      // Like Redis, which counts subscribed connections: this process is one.
      return handlers.length > 0 ? 1 : 0;
    },
    async subscribe(channel, handler) {
      const handlers = channels.get(channel) ?? new Set();
      handlers.add(handler);
      channels.set(channel, handlers);
      return async () => {
        handlers.delete(handler);
        if (handlers.size === 0) channels.delete(channel);
      };
    },
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, { ttlMs } = {}) {
      const at = now();
      write(key, { value, expiresAt: ttlMs ? at + ttlMs : Number.POSITIVE_INFINITY }, at);
    },
    async delete(key) {
      store.delete(key);
    },
    async increment(key, ttlMs) {
      // One clock read per call: rate limits count on the in-process bus on every tool call.
      const at = now();
      const entry = live(key, at);
      const value = entry ? Number(entry.value) + 1 : 1;
      write(key, { value: String(value), expiresAt: entry?.expiresAt ?? at + ttlMs }, at);
      return value;
    },
    async addMember(key, member, { ttlMs, max }) {
      const members = liveMembers(key) ?? new Map<string, number>();
      if (max !== undefined && !members.has(member) && members.size >= max) return false;
      members.set(member, now() + ttlMs);
      sets.set(key, members);
      return true;
    },
    async removeMember(key, member) {
      const members = sets.get(key);
      members?.delete(member);
      if (members?.size === 0) sets.delete(key);
    },
    async countMembers(key) {
      return liveMembers(key)?.size ?? 0;
    },
    onRestored: () => () => {},
    async ping() {},
    async close() {
      channels.clear();
      store.clear();
      sets.clear();
    },
  };
}
