/** Process-wide shutdown state: whether we are draining, and the work still in flight. */
export interface Lifecycle {
  readonly draining: boolean;
  readonly inFlight: number;
  /** From now on `/ready` answers 503 and no new session is accepted; calls the `onDraining` listeners. */
  startDraining(): void;
  /** Runs `listener` when draining starts (at once if it has): a service stops taking work there. */
  onDraining(listener: () => void): void;
  /** Counts `work` as in flight until it settles. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves true once nothing is in flight, or false when `timeoutMs` runs out first. */
  idle(timeoutMs: number): Promise<boolean>;
}

export function createLifecycle(): Lifecycle {
  let draining = false;
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const drainListeners: Array<() => void> = [];

  const settle = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    const woken = waiters;
    waiters = [];
    // A result reaches its transport in the microtasks after the work settles; wake the waiters
    // one macrotask later, so a shutdown that follows does not close a stream before its answer.
    setImmediate(() => {
      for (const wake of woken) wake();
    });
  };

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    startDraining() {
      if (draining) return;
      draining = true;
      for (const listener of drainListeners.splice(0)) listener();
    },
    onDraining(listener) {
      if (draining) listener();
      else drainListeners.push(listener);
    },
    track(work) {
      inFlight += 1;
      return work.finally(settle);
    },
    idle(timeoutMs) {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

/** What each service's `start(ctx, options)` returns; the launcher stops them all the same way. */
export interface RunningService {
  readonly name: string;
  /** Ends open streams and sessions and closes listeners. Call after `lifecycle.idle()`. */
  stop(): Promise<void>;
}
