/** What processes tell each other about tasks, on the bus (the message is the task id). */

/** A task was cancelled: the process running it stops it. */
export const TASK_CANCELLED_CHANNEL = "tasks:cancelled";
/** A task's client gave the last answer it waited for: the process running it reads them. */
export const TASK_ANSWERED_CHANNEL = "tasks:answered";
/** A task ended, or asks its client something: a reader waiting on it looks again. */
export const TASK_CHANGED_CHANNEL = "tasks:changed";
