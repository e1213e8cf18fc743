import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { describeError } from "../../log/errors.js";
import { presenceKey } from "../../presence/record.js";
import {
  answerTaskInput,
  countActiveTasks,
  endTask,
  findAnyTask,
  findTask,
  insertTask,
  isTerminal,
  requestTaskInput,
  type TaskEnd,
  type TaskRow,
  takeTaskAnswers,
} from "../../tasks/store.js";
import type { AnyTool } from "../../tools/define.js";
import {
  auditCall,
  type CallMeta,
  errorResult,
  type Outcome,
  outcomeOf,
  RECOVERABLE,
  runWithTimeout,
  successResult,
} from "../call-tool.js";
import { CAPABILITY_OF, type InputRequests, type InputResponses, MissingClientCapability } from "../input.js";
import { rpcErrorOf } from "../rpc-error.js";

/** Told to every process: a task was cancelled, or its client answered what it asked. */
export const TASK_CANCELLED_CHANNEL = "tasks:cancelled";
export const TASK_ANSWERED_CHANNEL = "tasks:answered";
/** Told to every process: a task ended, or asks its client something (a waiting reader looks again). */
export const TASK_CHANGED_CHANNEL = "tasks:changed";

// How often a tool waiting for answers looks at its task even when the bus has said nothing.
const ANSWER_CHECK_MS = 5_000;

const STOPPED_MESSAGE = "The server process running this task stopped before it finished";

/** What a call that becomes a task brings: the tool, its checked input, and who asked. */
export interface TaskLaunch {
  tool: AnyTool;
  version: string | undefined;
  input: unknown;
  /** The arguments as sent, for the audit record. */
  args: unknown;
  meta: CallMeta;
}

/** Tool calls running as tasks in this process; any process reads, answers and cancels any task. */
export interface TaskRunner {
  /** Creates the task (durably) and runs it behind the request; resolves once `tasks/get` finds it. */
  start(launch: TaskLaunch): Promise<TaskRow>;
  /** The caller's task as it stands; one whose process died is failed first. */
  get(principal: string, id: string): Promise<TaskRow | undefined>;
  /** Takes the caller's answers; undefined when the caller has no such task. */
  answer(principal: string, id: string, responses: InputResponses): Promise<TaskRow | undefined>;
  /** Cancels the task (`principal` undefined: whoever started it, for the admin); false when not found. */
  cancel(principal: string | undefined, id: string): Promise<boolean>;
  /** Stops this process's tasks (shutdown): each fails, saying so. */
  close(): Promise<void>;
}

interface Running {
  controller: AbortController;
  /** Set while the tool waits for its client's answers. */
  answered?: () => void;
}

/** What the runner needs of the context it is part of. */
export type TaskRunnerContext = Pick<
  AppContext,
  "config" | "log" | "db" | "bus" | "presence" | "metrics" | "audit" | "resourceUpdates"
>;

export function createTaskRunner(ctx: TaskRunnerContext): TaskRunner {
  const running = new Map<string, Running>();
  let listening: Promise<Array<() => Promise<void>>> | undefined;
  const db = () => ctx.db.db;

  // Subscribed with the first task this process runs: only a process running tasks needs to hear.
  function listen() {
    listening ??= Promise.all([
      ctx.bus.subscribe(TASK_CANCELLED_CHANNEL, (id) =>
        running.get(id)?.controller.abort(new AppError("INVALID", "The task was cancelled")),
      ),
      ctx.bus.subscribe(TASK_ANSWERED_CHANNEL, (id) => running.get(id)?.answered?.()),
    ]);
    return listening;
  }

  const tell = (channel: string, id: string) =>
    ctx.bus.publish(channel, id).catch((error: unknown) => {
      ctx.log.warn({ err: error, task: id }, "tasks: could not tell the other processes");
    });

  async function start({ tool, version, input, args, meta }: TaskLaunch): Promise<TaskRow> {
    await listen();
    const principal = meta.principal.id;
    // Counted, then inserted: calls racing past the count together exceed it by at most the caller's
    // calls in flight, which MAX_IN_FLIGHT_CALLS bounds.
    const limit = ctx.config.MAX_TASKS_PER_CALLER;
    if ((await countActiveTasks(db(), principal)) >= limit)
      throw new AppError(
        "RATE_LIMITED",
        `At most ${limit} tasks may run at once for one caller; wait for one to end`,
      );
    const task = await insertTask(db(), {
      principal,
      tool: tool.name,
      owner: ctx.presence.processId,
      ttlMs: ctx.config.TASK_TTL_MS,
    });
    const controller = new AbortController();
    const entry: Running = { controller };
    running.set(task.id, entry);
    const capabilities = meta.clientCapabilities ?? {};
    // Only questions: progress and log messages belonged to the request, which has been answered.
    const channel = { ask: (requests: InputRequests) => askInTask(task.id, entry, requests, capabilities) };
    const started = performance.now();
    // Not tracked as in flight: a task may run for minutes, longer than a shutdown waits; close() fails it.
    void run(task.id, tool, input, { signal: controller.signal, channel })
      .then(async ({ end, outcome, errorText }) => {
        await endTask(db(), task.id, end).catch((error: unknown) =>
          ctx.log.error({ err: error, task: task.id }, "tasks: could not record the end of a task"),
        );
        await tell(TASK_CHANGED_CHANNEL, task.id);
        auditCall(ctx, { name: tool.name, tool, version, args, meta, outcome, errorText, started });
      })
      .finally(() => running.delete(task.id));
    return task;
  }

  async function run(
    id: string,
    tool: AnyTool,
    input: unknown,
    meta: Pick<CallMeta, "signal" | "channel">,
  ): Promise<{ end: TaskEnd; outcome: Outcome; errorText?: string }> {
    try {
      const output = await runWithTimeout(ctx, tool, input, meta, ctx.config.TASK_TIMEOUT_MS);
      return { end: { status: "completed", result: { ...successResult(tool, output) } }, outcome: "ok" };
    } catch (error) {
      const outcome = outcomeOf(error, meta.signal);
      const errorText = describeError(error);
      if (outcome === "cancelled")
        return { end: { status: "cancelled", statusMessage: "Cancelled" }, outcome, errorText };
      // The extension: a tool's own error is a completed task whose result says so.
      if (error instanceof AppError && RECOVERABLE.has(error.code))
        return {
          end: { status: "completed", result: { ...errorResult(error.message) } },
          outcome,
          errorText,
        };
      ctx.log.error({ err: error, tool: tool.name, task: id }, "task failed");
      const rpc = rpcErrorOf(
        error instanceof AppError ? error : new AppError("INTERNAL", `Tool ${tool.name} failed`),
      );
      return { end: { status: "failed", error: rpc, statusMessage: rpc.message }, outcome, errorText };
    }
  }

  async function askInTask(
    id: string,
    entry: Running,
    requests: InputRequests,
    capabilities: Record<string, unknown>,
  ): Promise<InputResponses> {
    for (const request of Object.values(requests)) {
      const needed = CAPABILITY_OF[request.method];
      if (capabilities[needed] === undefined) throw new MissingClientCapability(needed);
    }
    const signal = entry.controller.signal;
    const wireKeys = await requestTaskInput(db(), id, requests);
    if (!wireKeys) throw signal.reason ?? new AppError("INVALID", "The task has ended");
    await tell(TASK_CHANGED_CHANNEL, id);
    try {
      for (;;) {
        // Listening before looking: an answer told between the two would otherwise be missed.
        const woken = wakeOnAnswer(entry, signal);
        const answers = await takeTaskAnswers(db(), id);
        if (answers) return Object.fromEntries([...wireKeys].map(([wire, key]) => [key, answers[wire]]));
        await woken;
      }
    } finally {
      entry.answered = undefined;
    }
  }

  async function get(principal: string, id: string) {
    const task = await findTask(db(), principal, id);
    return task && (await withLiveOwner(task));
  }

  /** A task still marked active whose process no longer beats will never end: it is failed now. */
  async function withLiveOwner(task: TaskRow): Promise<TaskRow> {
    if (isTerminal(task.status)) return task;
    const alive =
      task.owner === ctx.presence.processId
        ? running.has(task.id)
        : await ctx.bus.get(presenceKey(task.owner)).then(
            (record) => record !== undefined,
            () => true, // the bus is away: no news is not bad news
          );
    if (alive) return task;
    const error = { code: -32_603, message: STOPPED_MESSAGE };
    await endTask(db(), task.id, { status: "failed", error, statusMessage: STOPPED_MESSAGE });
    return (await findAnyTask(db(), task.id)) ?? task;
  }

  return {
    start,
    get,
    async answer(principal, id, responses) {
      const before = await get(principal, id);
      if (!before) return undefined;
      const task = await answerTaskInput(db(), principal, id, responses);
      if (task?.status === "working" && before.status === "input_required")
        await tell(TASK_ANSWERED_CHANNEL, id);
      return task;
    },
    async cancel(principal, id) {
      const task =
        principal === undefined ? await findAnyTask(db(), id) : await findTask(db(), principal, id);
      if (!task) return false;
      if (isTerminal(task.status)) return true;
      await endTask(db(), id, { status: "cancelled", statusMessage: "Cancelled" });
      running.get(id)?.controller.abort(new AppError("INVALID", "The task was cancelled"));
      await tell(TASK_CANCELLED_CHANNEL, id);
      return true;
    },
    async close() {
      for (const [id, { controller }] of running) {
        controller.abort(new AppError("UNAVAILABLE", STOPPED_MESSAGE));
        await endTask(db(), id, {
          status: "failed",
          error: { code: -32_603, message: STOPPED_MESSAGE },
          statusMessage: STOPPED_MESSAGE,
        }).catch(() => undefined);
      }
      const unsubscribe = await listening?.catch(() => []);
      await Promise.all((unsubscribe ?? []).map((stop) => stop()));
    },
  };
}

/**
 * Settles when the bus says the task's client answered, or after ANSWER_CHECK_MS at the latest (a
 * message the bus lost must not leave the tool waiting for good); rejects when the task is stopped.
 */
function wakeOnAnswer(entry: Running, signal: AbortSignal): Promise<void> {
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
    entry.answered = done;
    signal.addEventListener("abort", stop, { once: true });
  });
  // Awaited only when no answer was there yet; a stop after that must not go unhandled.
  woken.catch(() => undefined);
  return woken;
}
