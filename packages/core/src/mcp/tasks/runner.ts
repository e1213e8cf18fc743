import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { presenceKey } from "../../presence/record.js";
import {
  answerTaskInput,
  endTask,
  findAnyTask,
  findTask,
  insertTaskWithinLimit,
  isTerminal,
  type TaskRow,
} from "../../tasks/store.js";
import type { AnyTool } from "../../tools/define.js";
import { auditCall, type CallMeta } from "../call-tool.js";
import type { InputRequests, InputResponses } from "../input.js";
import { TASK_ANSWERED_CHANNEL, TASK_CANCELLED_CHANNEL, TASK_CHANGED_CHANNEL } from "./channels.js";
import { runTask } from "./run-task.js";
import { askInTask } from "./task-input.js";

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
    const limit = ctx.config.MAX_TASKS_PER_CALLER;
    const task = await insertTaskWithinLimit(
      db(),
      { principal, tool: tool.name, owner: ctx.presence.processId, ttlMs: ctx.config.TASK_TTL_MS },
      limit,
    );
    if (!task)
      throw new AppError(
        "RATE_LIMITED",
        `At most ${limit} tasks may run at once for one caller; wait for one to end`,
      );
    const controller = new AbortController();
    const entry: Running = { controller };
    running.set(task.id, entry);
    const capabilities = meta.clientCapabilities ?? {};
    // Only questions: progress and log messages belonged to the request, which has been answered.
    const channel = {
      ask: (requests: InputRequests) =>
        askInTask(
          { db: db(), tell },
          { id: task.id, waiting: entry, signal: controller.signal },
          requests,
          capabilities,
        ),
    };
    const started = performance.now();
    // Not tracked as in flight: a task may run for minutes, longer than a shutdown waits; close() fails it.
    void runTask(ctx, task.id, tool, input, { signal: controller.signal, channel })
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
