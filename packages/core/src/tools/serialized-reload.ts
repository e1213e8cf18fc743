/** A reload that never runs twice at once (see `serializedReload`). */
export interface SerializedReload {
  /** Runs the load, or, while one runs, queues exactly one more and settles with it. */
  reload(): Promise<void>;
  /** Settles once no load is running (never rejects). */
  idle(): Promise<void>;
}

/**
 * One load at a time of state other processes change: a change announced mid-load may have been
 * missed by it, so one more load follows, and any number of announcements meanwhile make just one.
 */
export function serializedReload(load: () => Promise<void>): SerializedReload {
  let running: Promise<void> | undefined;
  let again = false;
  return {
    reload() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await load();
          } while (again);
        } finally {
          running = undefined;
        }
      })();
      return running;
    },
    idle: async () => {
      await running?.catch(() => undefined);
    },
  };
}
