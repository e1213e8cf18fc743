import type { Db } from "../../db/client.js";
import { AppError } from "../../errors.js";
import { requestTaskInput, takeTaskAnswers } from "../../tasks/store.js";
import { CAPABILITY_OF, type InputRequests, type InputResponses, MissingClientCapability } from "../input.js";
import { TASK_CHANGED_CHANNEL } from "./channels.js";

// How often a tool waiting for answers looks at its task even when the bus has said nothing.
const ANSWER_CHECK_MS = 5_000;

/** A running task, as its questions need it: woken (`answered`) when the bus says it was answered. */
export interface WaitingTask {
  id: string;
  /** Set while the tool waits for its client's answers. */
  waiting: { answered?: (() => void) | undefined };
  /** Aborted when the task is cancelled or stopped. */
  signal: AbortSignal;
}

/**
 * A task's `ask`: parks the task on the questions (status input_required, seen by `tasks/get` on
 * any replica) and waits for every answer, which `tasks/update` (or 2025's `tasks/result` stream)
 * brings. Only what the client declared it supports is asked.
 */
export async function askInTask(
  { db, tell }: { db: Db; tell: (channel: string, id: string) => Promise<unknown> },
  task: WaitingTask,
  requests: InputRequests,
  capabilities: Record<string, unknown>,
): Promise<InputResponses> {
  for (const request of Object.values(requests)) {
    const needed = CAPABILITY_OF[request.method];
    if (capabilities[needed] === undefined) throw new MissingClientCapability(needed);
  }
  const wireKeys = await requestTaskInput(db, task.id, requests);
  if (!wireKeys) throw task.signal.reason ?? new AppError("INVALID", "The task has ended");
  await tell(TASK_CHANGED_CHANNEL, task.id);
  try {
    for (;;) {
      // Listening before looking: an answer told between the two would otherwise be missed.
      const woken = wakeOnAnswer(task);
      const answers = await takeTaskAnswers(db, task.id);
      if (answers) return Object.fromEntries([...wireKeys].map(([wire, key]) => [key, answers[wire]]));
      await woken;
    }
  } finally {
    task.waiting.answered = undefined;
  }
}

/**
 * Settles when the bus says the task's client answered, or after ANSWER_CHECK_MS at the latest (a
 * message the bus lost must not leave the tool waiting for good); rejects when the task is stopped.
 */
function wakeOnAnswer({ waiting, signal }: WaitingTask): Promise<void> {
  const woken = new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ANSWER_CHECK_MS);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
      resolve();
    }
    waiting.answered = done;
    signal.addEventListener("abort", stop, { once: true });
  });
  // Awaited only when no answer was there yet; a stop after that must not go unhandled.
  woken.catch(() => undefined);
  return woken;
}
