import { Redis } from "ioredis";
import { AppError } from "../errors.js";
import type { Logger } from "../log/log.js";
import type { Bus, BusHandler } from "./bus.js";

export interface RedisBusOptions {
  url: string;
  /** Prepended to every key and channel, so several deployments (or tests) can share one Redis. */
  prefix?: string;
  log: Logger;
  connectTimeoutMs?: number;
}

// A set of expiring members is a sorted set scored by expiry, on the server's clock (the replicas'
// clocks may disagree). The key itself expires with its last member, so an abandoned set goes too.
const NOW_MS = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;
const ADD_MEMBER = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
if max >= 0 and not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= max then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;
const COUNT_MEMBERS = `${NOW_MS}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

/**
 * The Redis bus. It fails fast: with the offline queue off, a command issued while Redis is down
 * rejects at once instead of waiting on a reconnect; ioredis keeps reconnecting in the background.
 */
export async function createRedisBus({
  url,
  prefix = "mcp-tools:",
  log,
  connectTimeoutMs = 3_000,
}: RedisBusOptions): Promise<Bus> {
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: connectTimeoutMs,
    commandTimeout: connectTimeoutMs,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const client = new Redis(url, { ...options, enableAutoPipelining: true });
  const subscriber = new Redis(url, { ...options, commandTimeout: undefined });
  const handlers = new Map<string, Set<BusHandler>>();
  const restoredListeners = new Set<() => void>();
  let down = false;

  let closing = false;
  const lost = (reason: string) => {
    if (!down && !closing) log.warn({ err: reason }, "redis unreachable; reconnecting");
    down = true;
  };
  for (const connection of [client, subscriber]) {
    connection.on("error", (error: Error) => lost(error.message));
    // A reconnect can succeed at its first attempt, with no error in between.
    connection.on("close", () => lost("connection closed"));
    connection.on("ready", () => {
      if (!down) return;
      log.info("redis connection restored");
      down = false;
      for (const listener of restoredListeners) listener();
    });
  }
  subscriber.on("message", (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });

  try {
    await Promise.all([client.connect(), subscriber.connect()]);
  } catch (error) {
    client.disconnect();
    subscriber.disconnect();
    throw new AppError("UNAVAILABLE", `Redis at ${redactUrl(url)} is unreachable`, { cause: error });
  }

  const key = (name: string) => prefix + name;
  return {
    kind: "redis",
    async publish(channel, message) {
      return client.publish(key(channel), message);
    },
    async subscribe(channel, handler) {
      const name = key(channel);
      const set = handlers.get(name) ?? new Set();
      if (set.size === 0) await subscriber.subscribe(name);
      set.add(handler);
      handlers.set(name, set);
      return async () => {
        set.delete(handler);
        if (set.size > 0) return;
        handlers.delete(name);
        await subscriber.unsubscribe(name).catch(() => undefined);
      };
    },
    async get(name) {
      return (await client.get(key(name))) ?? undefined;
    },
    async set(name, value, { ttlMs } = {}) {
      if (ttlMs) await client.set(key(name), value, "PX", ttlMs);
      else await client.set(key(name), value);
    },
    async delete(name) {
      await client.del(key(name));
    },
    async increment(name, ttlMs) {
      // One round trip: INCR, and start the window's TTL only on the first increment.
      const [[, value] = []] = (await client
        .multi()
        .incr(key(name))
        .pexpire(key(name), ttlMs, "NX")
        .exec()) ?? [[]];
      return Number(value);
    },
    async addMember(name, member, { ttlMs, max = -1 }) {
      return (await client.eval(ADD_MEMBER, 1, key(name), member, ttlMs, max)) === 1;
    },
    async removeMember(name, member) {
      await client.zrem(key(name), member);
    },
    async countMembers(name) {
      return Number(await client.eval(COUNT_MEMBERS, 1, key(name)));
    },
    onRestored(listener) {
      restoredListeners.add(listener);
      return () => restoredListeners.delete(listener);
    },
    async ping() {
      await client.ping();
    },
    async close() {
      closing = true;
      handlers.clear();
      restoredListeners.clear();
      await Promise.allSettled([client.quit(), subscriber.quit()]);
    },
  };
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable url)";
  }
}
