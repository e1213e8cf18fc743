import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolResult,
  CancelTaskRequestSchema,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
  RELATED_TASK_META_KEY,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { listCallerTasks } from "../../tasks/list.js";
import { isTerminal, type TaskRow } from "../../tasks/store.js";
import { CAPABILITY_OF, type InputRequest, type InputRequests, RESULT_SCHEMA_OF } from "../input.js";
import type { Principal } from "../principal.js";
import { answeredForSdk, type RpcError, sdkError } from "../rpc-error.js";
import { METHOD_NOT_FOUND, sessionTask, sessionTaskOutcome } from "./session-wire.js";
import { watchTask } from "./watch.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface SessionTasksOptions {
  principal: Principal;
  /** Whether the session negotiated a revision with tasks; until it has, it did not. */
  offered: () => boolean;
}

/**
 * `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel` of MCP 2025-11-25, on the durable
 * store and the runner: a task started in any session of the caller, on any replica, is found in
 * every other. Sessions of other revisions are answered as for any unknown method.
 *
 * Our handlers rather than the SDK's (its `taskStore` option): the SDK binds a task to the session
 * that made it and keeps the questions a task asks in this process's memory, while ours belong to
 * the caller across sessions and replicas, and the runner keeps their questions in the database.
 */
export function serveSessionTasks(
  server: Server,
  ctx: AppContext,
  { principal, offered }: SessionTasksOptions,
) {
  const found = async (taskId: string) => {
    const task = await ctx.tasks.get(principal.id, taskId);
    // MCP 2025-11-25 §Error Handling: -32602; another caller's task is not found either.
    if (!task) throw new AppError("NOT_FOUND", "Failed to retrieve task: Task not found");
    return task;
  };
  const refuseUnlessOffered = () => {
    if (!offered()) throw sdkError({ code: METHOD_NOT_FOUND, message: "Method not found" });
  };

  server.setRequestHandler(GetTaskRequestSchema, async (request) => {
    refuseUnlessOffered();
    return sessionTask(await answeredForSdk(found(request.params.taskId)));
  });

  server.setRequestHandler(GetTaskPayloadRequestSchema, async (request, extra) => {
    refuseUnlessOffered();
    const outcome = await answeredForSdk(untilEnded(request.params.taskId, extra));
    if ("error" in outcome) throw sdkError(outcome.error);
    return outcome.result;
  });

  server.setRequestHandler(ListTasksRequestSchema, async (request) => {
    refuseUnlessOffered();
    return answeredForSdk(
      (async () => {
        const page = await listCallerTasks(ctx.db.db, {
          principal: principal.id,
          cursor: request.params?.cursor,
        });
        // Running ones as `tasks/get` shows them: one whose process died is failed first.
        const rows = await Promise.all(
          page.rows.map(async (row) =>
            isTerminal(row.status) ? row : ((await ctx.tasks.get(principal.id, row.id)) ?? row),
          ),
        );
        return { tasks: rows.map(sessionTask), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
      })(),
    );
  });

  server.setRequestHandler(CancelTaskRequestSchema, async (request) => {
    refuseUnlessOffered();
    return answeredForSdk(
      (async () => {
        const { taskId } = request.params;
        const before = await found(taskId);
        if (isTerminal(before.status)) throw alreadyEnded(before);
        await ctx.tasks.cancel(principal.id, taskId);
        const after = await found(taskId);
        // It ended on its own meanwhile: not cancelled, which the response must say (MUST).
        if (after.status !== "cancelled") throw alreadyEnded(after);
        return sessionTask(after);
      })(),
    );
  });

  /**
   * MCP 2025-11-25 §Result Retrieval: blocks until the task ends, then answers as the call would
   * have. Meanwhile what the task asks its client is asked here, on this request's stream and
   * related to the task (§Input Required), and the answers go to the runner wherever it runs.
   */
  async function untilEnded(
    taskId: string,
    extra: Extra,
  ): Promise<{ result: CallToolResult } | { error: RpcError }> {
    const watch = await watchTask(taskId, ctx);
    const asked = new Set<string>();
    const questions = new AbortController();
    try {
      for (;;) {
        const task = await found(taskId);
        if (isTerminal(task.status)) return sessionTaskOutcome(task);
        if (task.status === "input_required") ask(task, asked, extra, questions.signal);
        await watch.changed(extra.signal);
      }
    } finally {
      // Questions still open when the task ended (or the client went) are withdrawn.
      questions.abort();
      await watch.stop();
    }
  }

  function ask(task: TaskRow, asked: Set<string>, extra: Extra, signal: AbortSignal) {
    const capabilities = server.getClientCapabilities() ?? {};
    for (const [key, request] of Object.entries((task.inputRequests ?? {}) as InputRequests)) {
      // Keys are never reused within a task: one asked once is never asked again by this request.
      if (asked.has(key)) continue;
      asked.add(key);
      // A client without the capability is not asked: the task waits for a session that has it.
      if (capabilities[CAPABILITY_OF[request.method]] === undefined) continue;
      extra
        .sendRequest(related(request, task.id), RESULT_SCHEMA_OF[request.method], {
          signal,
          // As long as the task may run: a person answers at their own pace.
          timeout: ctx.config.TASK_TIMEOUT_MS,
        })
        .then((answer) => ctx.tasks.answer(principal.id, task.id, { [key]: answer }))
        .catch((error: unknown) => {
          ctx.log.debug({ err: error, task: task.id, key }, "tasks: a question got no answer");
        });
    }
  }
}

/** The request with the task it belongs to in `_meta` (MCP 2025-11-25 §Associating Task-Related Messages). */
function related(request: InputRequest, taskId: string): ServerRequest {
  const params = request.params ?? {};
  const meta = (params as { _meta?: Record<string, unknown> })._meta;
  return {
    method: request.method,
    params: { ...params, _meta: { ...meta, [RELATED_TASK_META_KEY]: { taskId } } },
  } as ServerRequest;
}

// MCP 2025-11-25 §Task Cancellation: -32602 for a task that has ended.
const alreadyEnded = (task: TaskRow) =>
  new AppError("INVALID", `Cannot cancel task: already in terminal status '${sessionTask(task).status}'`);
