import type { CallToolRequest, CallToolResult, CreateTaskResult } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { type CallOutcome, StartedTask } from "../call-tool.js";
import { TaskRequired } from "../input.js";
import type { Principal } from "../principal.js";
import { type RpcError, rpcErrorOf } from "../rpc-error.js";
import type { SessionRevision } from "./session-revision.js";
import { METHOD_NOT_FOUND, sessionTask, usableTool } from "./session-wire.js";

// A `tools/call` in a session, as MCP 2025-11-25 §Tasks has it: the client asks for a task with
// `params.task`, where the server declared `tasks.requests.tools.call` and the tool says it may.

/**
 * Whether this call asks to run as a task. Throws an AppError for `params.task` in a session of a
 * revision without tasks: the SDK v1 server would take any answer but a task for a wrong one.
 */
export function asksForTask(session: SessionRevision, params: CallToolRequest["params"]): boolean {
  if (params.task === undefined) return false;
  if (!session.tasks)
    throw new AppError(
      "INVALID",
      `Tool calls run as tasks from protocol version 2025-11-25; this session speaks ${session.revision}: call ${params.name} without params.task`,
    );
  return true;
}

/**
 * §Tool-Level Negotiation: a task asked of a tool that does not run as one is refused with -32601
 * (SHOULD), before it runs. An unknown or hidden tool is left to the call, which says so as for any
 * call, so that a caller cannot tell hidden tools from absent ones by this either.
 */
export function refuseTaskless(
  ctx: Pick<AppContext, "tools" | "toolSettings">,
  principal: Principal,
  name: string,
): void {
  const tool = usableTool(ctx, principal, name);
  if (tool && !tool.task)
    throw new NotATaskTool(`Tool ${name} does not run as a task: call it without params.task`);
}

/** A task asked of a tool that never runs as one. */
class NotATaskTool extends AppError {
  constructor(message: string) {
    super("INVALID", message);
  }
}

/** What a call that asked for a task answers: `CreateTaskResult`, or the call's own result. */
export function sessionCallResult(outcome: CallOutcome, asTask: boolean): CallToolResult | CreateTaskResult {
  if (outcome instanceof StartedTask) return { task: sessionTask(outcome.task) };
  if (!asTask) return outcome;
  // Refused before a task could start (bad arguments, say): the error a client can read, since
  // an accepted task-augmented request MUST answer with a task.
  const text = outcome.content.find((block) => block.type === "text")?.text;
  throw new AppError("INVALID", text ?? "The tool call was refused before its task could start");
}

/**
 * The JSON-RPC error of a call: -32601 for a task asked of a tool that never runs as one, and for a
 * tool that runs only as a task called without one (MUST), in a session that has tasks.
 */
export function sessionCallError(error: unknown, session: SessionRevision): RpcError {
  if (error instanceof NotATaskTool) return { code: METHOD_NOT_FOUND, message: error.message };
  if (error instanceof TaskRequired && session.tasks)
    return { code: METHOD_NOT_FOUND, message: `${error.message}: call it with params.task` };
  return rpcErrorOf(error);
}
