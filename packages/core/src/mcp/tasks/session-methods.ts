import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolResult,
  CancelTaskRequestSchema,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  type JSONRPCRequest,
  ListTasksRequestSchema,
  type ListTasksResult,
  RELATED_TASK_META_KEY,
  type ServerNotification,
  type ServerRequest,
  type ServerResult,
  type Task,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { listCallerTasks } from "../../tasks/list.js";
import { isTerminal, type TaskRow } from "../../tasks/store.js";
import { CAPABILITY_OF, type InputRequest, type InputRequests, RESULT_SCHEMA_OF } from "../input.js";
import { invalidParams } from "../malformed-params.js";
import type { Principal } from "../principal.js";
import { answeredForSdk, type RpcError, sdkError } from "../rpc-error.js";
import type { SessionRevision } from "./session-revision.js";
import { METHOD_NOT_FOUND, sessionTask, sessionTaskOutcome } from "./session-wire.js";
import { watchTask } from "./watch.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What a session's tasks/* request is answered with: its server, the context and its caller. */
interface Scope {
  server: Server;
  ctx: AppContext;
  principal: Principal;
}

export interface SessionTasksOptions {
  principal: Principal;
  /** The revision the session negotiated: only one with tasks is answered (session-revision.ts). */
  session: SessionRevision;
}

/**
 * `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel` of MCP 2025-11-25, on the durable
 * store and the runner: a task started in any session of the caller, on any replica, is found in
 * every other. Sessions of other revisions are answered as for any unknown method.
 *
 * Our handlers rather than the SDK's (its `taskStore` option): the SDK binds a task to the session
 * that made it and keeps the questions a task asks in this process's memory, while ours belong to
 * the caller across sessions and replicas, and the runner keeps their questions in the database.
 * One dispatch per session, as the SDK's fallback for methods it has no handler for, rather than
 * four registered handlers: those cost every idle session some 3 KB, and most never ask.
 */
export function serveSessionTasks(
  server: Server,
  ctx: AppContext,
  { principal, session }: SessionTasksOptions,
) {
  const scope: Scope = { server, ctx, principal };
  server.fallbackRequestHandler = async (request, extra) => {
    const answer = methods.get(request.method);
    if (!answer || !session.tasks) throw sdkError({ code: METHOD_NOT_FOUND, message: "Method not found" });
    return answer(scope, request, extra);
  };
}

type Method = (scope: Scope, request: JSONRPCRequest, extra: Extra) => Promise<ServerResult>;

/** A method's handler, given its params as the SDK would parse them for a registered handler. */
function method<S extends z.ZodType<{ params?: unknown }>>(
  schema: S,
  handle: (scope: Scope, params: z.output<S>["params"], extra: Extra) => Promise<ServerResult>,
): Method {
  return (scope, request, extra) => {
    const parsed = schema.safeParse(request);
    if (!parsed.success) throw invalidParams(request.method, parsed.error.issues);
    return handle(scope, parsed.data.params, extra);
  };
}

const methods = new Map<string, Method>([
  [
    "tasks/get",
    method(GetTaskRequestSchema, async (scope, { taskId }) =>
      sessionTask(await answeredForSdk(found(scope, taskId))),
    ),
  ],
  [
    "tasks/result",
    method(GetTaskPayloadRequestSchema, async (scope, { taskId }, extra) => {
      const outcome = await answeredForSdk(untilEnded(scope, taskId, extra));
      if ("error" in outcome) throw sdkError(outcome.error);
      return outcome.result;
    }),
  ],
  [
    "tasks/list",
    method(ListTasksRequestSchema, (scope, params) => answeredForSdk(list(scope, params?.cursor))),
  ],
  [
    "tasks/cancel",
    method(CancelTaskRequestSchema, (scope, { taskId }) => answeredForSdk(cancel(scope, taskId))),
  ],
]);

async function found({ ctx, principal }: Scope, taskId: string): Promise<TaskRow> {
  const task = await ctx.tasks.get(principal.id, taskId);
  // MCP 2025-11-25 §Error Handling: -32602; another caller's task is not found either.
  if (!task) throw new AppError("NOT_FOUND", "Failed to retrieve task: Task not found");
  return task;
}

async function list({ ctx, principal }: Scope, cursor: string | undefined): Promise<ListTasksResult> {
  const page = await listCallerTasks(ctx.db.db, { principal: principal.id, cursor });
  // Running ones as `tasks/get` shows them: one whose process died is failed first.
  const rows = await Promise.all(
    page.rows.map(async (row) =>
      isTerminal(row.status) ? row : ((await ctx.tasks.get(principal.id, row.id)) ?? row),
    ),
  );
  return { tasks: rows.map(sessionTask), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
}

async function cancel(scope: Scope, taskId: string): Promise<Task> {
  const before = await found(scope, taskId);
  if (isTerminal(before.status)) throw alreadyEnded(before);
  await scope.ctx.tasks.cancel(scope.principal.id, taskId);
  const after = await found(scope, taskId);
  // It ended on its own meanwhile: not cancelled, which the response must say (MUST).
  if (after.status !== "cancelled") throw alreadyEnded(after);
  return sessionTask(after);
}

/**
 * MCP 2025-11-25 §Result Retrieval: blocks until the task ends, then answers as the call would
 * have. Meanwhile what the task asks its client is asked here, on this request's stream and
 * related to the task (§Input Required), and the answers go to the runner wherever it runs.
 */
async function untilEnded(
  scope: Scope,
  taskId: string,
  extra: Extra,
): Promise<{ result: CallToolResult } | { error: RpcError }> {
  const watch = await watchTask(taskId, scope.ctx);
  const asked = new Set<string>();
  const questions = new AbortController();
  try {
    for (;;) {
      const task = await found(scope, taskId);
      if (isTerminal(task.status)) return sessionTaskOutcome(task);
      if (task.status === "input_required") ask(scope, task, asked, extra, questions.signal);
      await watch.changed(extra.signal);
    }
  } finally {
    // Questions still open when the task ended (or the client went) are withdrawn.
    questions.abort();
    await watch.stop();
  }
}

function ask(
  { server, ctx, principal }: Scope,
  task: TaskRow,
  asked: Set<string>,
  extra: Extra,
  signal: AbortSignal,
) {
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
