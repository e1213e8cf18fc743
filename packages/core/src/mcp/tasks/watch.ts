import type { Bus } from "../../bus/bus.js";
import type { Logger } from "../../log/log.js";
import { TASK_CANCELLED_CHANNEL, TASK_CHANGED_CHANNEL } from "./channels.js";

/** How often a waiter looks again when nothing is told: a message the bus lost costs this much. */
export const TASK_RECHECK_MS = 2_000;

/** Wakes a reader waiting on one task (see watchTask). */
export interface TaskWatch {
  /**
   * Resolves once the task may have changed since the last call (or since the watch began): told
   * on the bus, or `recheckMs` at the latest. Rejects with the signal's reason when it aborts.
   */
  changed(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

export interface WatchTaskOptions {
  bus: Bus;
  log: Pick<Logger, "debug">;
  recheckMs?: number;
}

/**
 * Watches a task that may run in any process: the runner tells the bus when one ends, asks its
 * client something, or is cancelled. Subscribe before the first read: a change between that read
 * and the wait then still wakes it. Without the bus, it looks again every `recheckMs`.
 */
export async function watchTask(
  id: string,
  { bus, log, recheckMs = TASK_RECHECK_MS }: WatchTaskOptions,
): Promise<TaskWatch> {
  let told = false;
  let wake: (() => void) | undefined;
  const heard = (message: string) => {
    if (message !== id) return;
    told = true;
    wake?.();
  };
  const stops = await Promise.all(
    [TASK_CHANGED_CHANNEL, TASK_CANCELLED_CHANNEL].map((channel) =>
      bus.subscribe(channel, heard).catch((error: unknown) => {
        log.debug({ err: error, task: id }, "tasks: cannot hear the bus; polling the task instead");
        return async () => {};
      }),
    ),
  );
  return {
    changed(signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        if (told) {
          told = false;
          return resolve();
        }
        const done = () => {
          told = false;
          wake = undefined;
          clearTimeout(timer);
          signal.removeEventListener("abort", aborted);
          resolve();
        };
        const aborted = () => {
          wake = undefined;
          clearTimeout(timer);
          reject(signal.reason);
        };
        const timer = setTimeout(done, recheckMs);
        wake = done;
        signal.addEventListener("abort", aborted, { once: true });
      });
    },
    async stop() {
      wake = undefined;
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
