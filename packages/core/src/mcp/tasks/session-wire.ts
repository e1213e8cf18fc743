import {
  type CallToolResult,
  RELATED_TASK_META_KEY,
  type Task,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../../context.js";
import type { TaskRow } from "../../tasks/store.js";
import type { AnyTool } from "../../tools/define.js";
import { mayUse, pinnedFor } from "../../tools/settings/visible.js";
import type { Principal } from "../principal.js";
import type { RpcError } from "../rpc-error.js";

// MCP 2025-11-25 §Tasks (experimental, in the core protocol): the wire of tasks for the sessions
// of that revision. The 2026-07-28 extension's wire is modern/tasks.ts; both read one store.

/** The revisions whose sessions run tool calls as tasks; later ones speak the extension. */
export const TASK_REVISIONS: ReadonlySet<string> = new Set(["2025-11-25"]);

/** What the server declares: tool calls as tasks, `tasks/list` and `tasks/cancel`. */
export const sessionTasksCapability = { list: {}, cancel: {}, requests: { tools: { call: {} } } };

export const METHOD_NOT_FOUND = -32_601;
const INTERNAL_ERROR = -32_603;
// How often a client should poll a running task; the spec leaves it to the receiver.
const POLL_INTERVAL_MS = 1_000;
const MAX_STATUS_MESSAGE_CHARS = 200;

/** The tool a principal calls by this name (its pinned version, else the served one), if it may. */
export function usableTool(
  ctx: Pick<AppContext, "tools" | "toolSettings">,
  principal: Principal,
  name: string,
): AnyTool | undefined {
  const tool = pinnedFor(ctx, principal, name)?.tool ?? ctx.tools.get(name);
  return tool && mayUse(ctx, principal, tool) ? tool : undefined;
}

/** `tools/list` entries saying which run as tasks (absent: `forbidden`, the spec's default). */
export function withTaskSupport(
  ctx: Pick<AppContext, "tools" | "toolSettings">,
  principal: Principal,
  tools: Tool[],
): Tool[] {
  return tools.map((entry) => {
    const taskSupport = usableTool(ctx, principal, entry.name)?.task;
    return taskSupport ? { ...entry, execution: { ...entry.execution, taskSupport } } : entry;
  });
}

/**
 * The task as this revision shows it. A tool result with `isError` is a `failed` task here (MCP
 * 2025-11-25 §Task Status), while the store records it `completed` as the extension has it: the
 * mapping is made here, on the way out, and never stored.
 */
export function sessionTask(row: TaskRow): Task {
  const toolError = row.status === "completed" && isToolError(row.result);
  const statusMessage = toolError ? toolErrorMessage(row.result as CallToolResult) : row.statusMessage;
  return {
    taskId: row.id,
    status: toolError ? "failed" : row.status,
    ...(statusMessage !== null && { statusMessage }),
    createdAt: row.createdAt.toISOString(),
    lastUpdatedAt: row.updatedAt.toISOString(),
    ttl: row.expiresAt.getTime() - row.createdAt.getTime(),
    pollInterval: POLL_INTERVAL_MS,
  };
}

/**
 * `tasks/result` of an ended task: exactly what the call would have returned, with the related-task
 * `_meta` (MCP 2025-11-25 §Result Retrieval), or the JSON-RPC error a failed call answers with.
 */
export function sessionTaskOutcome(row: TaskRow): { result: CallToolResult } | { error: RpcError } {
  if (row.status === "completed") {
    const result = row.result as CallToolResult;
    const _meta = { ...result._meta, [RELATED_TASK_META_KEY]: { taskId: row.id } };
    return { result: { ...result, _meta } };
  }
  if (row.status === "failed") return { error: row.error as RpcError };
  // A cancelled call has no answer to repeat; the SDK's client and task store say -32603 for it too.
  return { error: { code: INTERNAL_ERROR, message: `Task ${row.id} was cancelled: it has no result` } };
}

const isToolError = (result: unknown) =>
  typeof result === "object" && result !== null && (result as CallToolResult).isError === true;

function toolErrorMessage(result: CallToolResult): string {
  const text = result.content?.find((block) => block.type === "text")?.text;
  return (text ?? "The tool reported an error").slice(0, MAX_STATUS_MESSAGE_CHARS);
}
