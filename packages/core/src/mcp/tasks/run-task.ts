import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { describeError } from "../../log/errors.js";
import type { TaskEnd } from "../../tasks/store.js";
import type { AnyTool } from "../../tools/define.js";
import {
  type CallMeta,
  errorResult,
  type Outcome,
  outcomeOf,
  RECOVERABLE,
  runWithTimeout,
  successResult,
} from "../call-tool.js";
import { rpcErrorOf } from "../rpc-error.js";

/** How a task's run ended: what its row records, and what its audit record says. */
export interface TaskRunEnd {
  end: TaskEnd;
  outcome: Outcome;
  errorText?: string;
}

/**
 * Runs a task's tool as a call is run (its context, TASK_TIMEOUT_MS) and says how the task ends:
 * completed with the result, or with an `isError` result for the tool's own error (the extension:
 * `failed` is for JSON-RPC errors only); failed with the JSON-RPC error otherwise; cancelled.
 */
export async function runTask(
  ctx: Pick<AppContext, "config" | "log" | "db" | "resourceUpdates">,
  id: string,
  tool: AnyTool,
  input: unknown,
  meta: Pick<CallMeta, "signal" | "channel">,
): Promise<TaskRunEnd> {
  try {
    const output = await runWithTimeout(ctx, tool, input, meta, ctx.config.TASK_TIMEOUT_MS);
    return { end: { status: "completed", result: { ...successResult(tool, output) } }, outcome: "ok" };
  } catch (error) {
    const outcome = outcomeOf(error, meta.signal);
    const errorText = describeError(error);
    if (outcome === "cancelled")
      return { end: { status: "cancelled", statusMessage: "Cancelled" }, outcome, errorText };
    if (error instanceof AppError && RECOVERABLE.has(error.code))
      return { end: { status: "completed", result: { ...errorResult(error.message) } }, outcome, errorText };
    ctx.log.error({ err: error, tool: tool.name, task: id }, "task failed");
    const rpc = rpcErrorOf(
      error instanceof AppError ? error : new AppError("INTERNAL", `Tool ${tool.name} failed`),
    );
    return { end: { status: "failed", error: rpc, statusMessage: rpc.message }, outcome, errorText };
  }
}
