/** Handler for messages on one channel. */
export type BusHandler = (message: string) => void;

/**
 * Cross-process coordination: pub/sub, key/value with TTL, counters and sets of expiring members.
 * Redis implements it across processes; the in-process bus serves a single process.
 */
export interface Bus {
  readonly kind: "redis" | "memory";
  /**
   * Resolves to how many subscribers received it (Redis counts connections, not handlers): 0 tells
   * a sender that nobody, say a process that has died, listens on the channel.
   */
  publish(channel: string, message: string): Promise<number>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically adds one and returns the new value; the TTL starts with the first increment. */
  increment(key: string, ttlMs: number): Promise<number>;
  /**
   * Adds `member` to the set `key`, or refreshes it when already there; either way it expires
   * `ttlMs` from now unless added again. With `max`, a new member is refused (false) while the set
   * holds `max` live members; the check and the add are one atomic step across processes.
   */
  addMember(key: string, member: string, options: { ttlMs: number; max?: number }): Promise<boolean>;
  /** Removes `member` from the set `key`, freeing its place at once. */
  removeMember(key: string, member: string): Promise<void>;
  /** How many live members the set `key` holds. */
  countMembers(key: string): Promise<number>;
  /**
   * Calls `listener` each time the connection to the backing store comes back after an outage
   * (never, for the in-process bus); state kept there may have been lost. Returns an unsubscriber.
   */
  onRestored(listener: () => void): () => void;
  /** Throws when the backing store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
