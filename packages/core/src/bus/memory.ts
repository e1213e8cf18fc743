import type { Bus, BusHandler } from "./bus.js";

interface Entry {
  value: string;
  expiresAt: number;
}

/** The in-process bus: the same contract as Redis, for one process. */
export function createMemoryBus({ now = Date.now }: { now?: () => number } = {}): Bus {
  const channels = new Map<string, Set<BusHandler>>();
  const store = new Map<string, Entry>();

  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= now()) {
      store.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    kind: "memory",
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
      store.set(key, { value, expiresAt: ttlMs ? now() + ttlMs : Number.POSITIVE_INFINITY });
    },
    async delete(key) {
      store.delete(key);
    },
    async increment(key, ttlMs) {
      const entry = live(key);
      const value = entry ? Number(entry.value) + 1 : 1;
      store.set(key, { value: String(value), expiresAt: entry?.expiresAt ?? now() + ttlMs });
      return value;
    },
    onRestored: () => () => {},
    async ping() {},
    async close() {
      channels.clear();
      store.clear();
    },
  };
}
