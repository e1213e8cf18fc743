/** Handler for messages on one channel. */
export type BusHandler = (message: string) => void;

/**
 * Cross-process coordination: pub/sub, key/value with TTL and counters.
 * Redis implements it across processes; the in-process bus serves a single process.
 */
export interface Bus {
  readonly kind: "redis" | "memory";
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically adds one and returns the new value; the TTL starts with the first increment. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Throws when the backing store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
