import type { PgliteThread } from "./pglite-thread.js";

/**
 * The thread `opening` resolves to, usable before it has: each statement waits for it (or for its
 * own cancellation, whichever comes first), and fails as the opening did if it failed.
 */
export function threadWhenOpen(opening: Promise<PgliteThread>): PgliteThread {
  let open: PgliteThread | undefined;
  void opening.then(
    (thread) => {
      open = thread;
    },
    () => undefined,
  );
  const thread = async (signal?: AbortSignal): Promise<PgliteThread> => {
    if (open) return open;
    if (!signal) return opening;
    return Promise.race([opening, aborted(signal)]);
  };
  return {
    query: async (sql, params, rowMode, options) =>
      (await thread(options?.signal)).query(sql, params, rowMode, options),
    exec: async (statements) => (await thread()).exec(statements),
    begin: async () => (await thread()).begin(),
    end: async (tx, commit) => (await thread()).end(tx, commit),
    async close() {
      const opened = await opening.catch(() => undefined);
      await opened?.close();
    },
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
