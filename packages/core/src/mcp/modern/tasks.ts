import { AppError } from "../../errors.js";
import type { TaskRow } from "../../tasks/store.js";
import type { TaskRunner } from "../tasks/runner.js";
import type { ModernCall, ModernRequest } from "./dispatch.js";
import { clientCapabilitiesOf } from "./envelope.js";
import { ModernCode } from "./wire.js";

/** MCP's tasks extension (SEP-2663), as a 2026-07-28 client declares it and the server advertises it. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

// How often a client should poll a running task; the extension leaves it to the server.
const POLL_INTERVAL_MS = 1_000;

/** Whether this request declares the tasks extension: only then may a call answer with a task. */
export function takesTasks(capabilities: Record<string, unknown>): boolean {
  const extensions = capabilities.extensions as Record<string, unknown> | undefined;
  return typeof extensions === "object" && extensions !== null && extensions[TASKS_EXTENSION] !== undefined;
}

/** MissingRequiredClientCapabilityError naming the tasks extension. */
export const tasksExtensionRequired = (message: string) => ({
  code: ModernCode.missingClientCapability,
  message,
  data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
});

/** The task as every task result carries it (the extension's `Task`). */
function envelope(task: TaskRow) {
  return {
    taskId: task.id,
    status: task.status,
    ...(task.statusMessage !== null && { statusMessage: task.statusMessage }),
    createdAt: task.createdAt.toISOString(),
    lastUpdatedAt: task.updatedAt.toISOString(),
    ttlMs: task.expiresAt.getTime() - task.createdAt.getTime(),
    pollIntervalMs: POLL_INTERVAL_MS,
  };
}

/** A `tools/call` answered with the task it started: flat, with no result or questions yet. */
export const createTaskResult = (task: TaskRow) => ({ resultType: "task", ...envelope(task) });

/** `tasks/get`: the task, with what its status carries (questions, result, or error). */
export function detailedTask(task: TaskRow): Record<string, unknown> {
  return {
    ...envelope(task),
    ...(task.status === "input_required" && { inputRequests: task.inputRequests }),
    ...(task.status === "completed" && { result: task.result }),
    ...(task.status === "failed" && { error: task.error }),
  };
}

type Handler = (request: ModernRequest, call: ModernCall) => Promise<Record<string, unknown>>;

/**
 * `tasks/get`, `tasks/update` and `tasks/cancel` (the extension's methods; `tasks/result` and
 * `tasks/list` are gone, and answered as unknown methods). Each needs the extension declared on the
 * request, checked before the task is looked up; a task of another caller is not found.
 */
export function taskHandlers(tasks: TaskRunner): Array<[string, Handler]> {
  const gated =
    (
      method: string,
      handle: (taskId: string, request: ModernRequest, call: ModernCall) => Promise<Record<string, unknown>>,
    ): Handler =>
    async (request, call) => {
      if (!takesTasks(clientCapabilitiesOf(request.params)))
        throw new TaskExtensionMissing(
          `${method} needs the ${TASKS_EXTENSION} extension declared on the request`,
        );
      const taskId = request.params?.taskId;
      if (typeof taskId !== "string" || taskId.length > 100)
        throw new AppError("INVALID", `Invalid params for ${method}: taskId: expected a task id`);
      return handle(taskId, request, call);
    };
  const notFound = (taskId: string) =>
    new AppError(
      "NOT_FOUND",
      `Failed to retrieve task: Task not found: ${JSON.stringify(taskId.toWellFormed())}`,
    );
  return [
    [
      "tasks/get",
      gated("tasks/get", async (taskId, _, { principal }) => {
        const task = await tasks.get(principal.id, taskId);
        if (!task) throw notFound(taskId);
        return detailedTask(task);
      }),
    ],
    [
      "tasks/update",
      gated("tasks/update", async (taskId, { params }, { principal }) => {
        const responses = params?.inputResponses;
        const given =
          typeof responses === "object" && responses !== null && !Array.isArray(responses)
            ? (responses as Record<string, unknown>)
            : {};
        if (!(await tasks.answer(principal.id, taskId, given))) throw notFound(taskId);
        return {};
      }),
    ],
    [
      "tasks/cancel",
      gated("tasks/cancel", async (taskId, _, { principal }) => {
        if (!(await tasks.cancel(principal.id, taskId))) throw notFound(taskId);
        return {};
      }),
    ],
  ];
}

/** A `tasks/*` request from a client that did not declare the extension (-32021). */
export class TaskExtensionMissing extends Error {}
