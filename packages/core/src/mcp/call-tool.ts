import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { AuditEntry } from "../audit/queue.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { describeError } from "../log/errors.js";
import type { TaskRow } from "../tasks/store.js";
import type { AnyTool } from "../tools/define.js";
import { mayUse, pinnedFor } from "../tools/settings/visible.js";
import { InputRequired, MissingClientCapability, TaskRequired } from "./input.js";
import type { Principal, TransportName } from "./principal.js";
import { enforceRateLimits, isRateLimited, type RateLimit } from "./rate-limit.js";
import { CallEnding, type ClientChannel, ToolCallContext } from "./tool-context.js";

export interface CallMeta {
  principal: Principal;
  transport: TransportName;
  sessionId?: string | undefined;
  /** Aborted when the client cancels the request. */
  signal: AbortSignal;
  /** Where the tool's progress and log messages go, where the client asked for them. */
  channel?: ClientChannel | undefined;
  /**
   * The client takes tasks (2026-07-28: it declared the tasks extension on this request): a tool
   * that runs as a task is then started as one, and the call resolves to the task it created.
   */
  takesTasks?: boolean | undefined;
  /** What the client said it supports (2026-07-28: on the request), for a task's questions. */
  clientCapabilities?: Record<string, unknown> | undefined;
}

/** A call that became a task (see `CallMeta.takesTasks`): the task it runs as. */
export class StartedTask {
  constructor(readonly task: TaskRow) {}
}

/** What a call resolves to: the tool's result, or the task it runs as. */
export type CallOutcome = CallToolResult | StartedTask;

export type Outcome = AuditEntry["outcome"];

// Errors a model can act on: `isError` results rather than JSON-RPC errors.
export const RECOVERABLE = new Set([
  "NOT_FOUND",
  "INVALID",
  "CONFLICT",
  "FORBIDDEN",
  "TIMEOUT",
  "BAD_GATEWAY",
]);

/**
 * Every tool call of every era goes through here: policy, rate limits, input validation, timeout,
 * output validation, metrics and an audit record. The audit record is only queued; nothing here
 * waits on the database but the tool. Errors a model can act on come back as `isError` results;
 * the rest are thrown as AppErrors, which `rpcErrorOf` turns into the client's JSON-RPC error.
 */
export function callTool(
  ctx: AppContext,
  name: string,
  args: unknown,
  meta: CallMeta & { takesTasks?: false | undefined },
): Promise<CallToolResult>;
export function callTool(ctx: AppContext, name: string, args: unknown, meta: CallMeta): Promise<CallOutcome>;
export function callTool(ctx: AppContext, name: string, args: unknown, meta: CallMeta): Promise<CallOutcome> {
  // In flight from the start, so that a shutdown also waits for a call still waiting for the database.
  return ctx.lifecycle.track(call(ctx, name, args, meta));
}

async function call(ctx: AppContext, name: string, args: unknown, meta: CallMeta): Promise<CallOutcome> {
  const started = performance.now();
  let tool: AnyTool | undefined;
  let version: string | undefined;
  let outcome: Outcome = "ok";
  let errorText: string | undefined;
  // A task's audit record is written when it ends (see tasks/runner.ts), not when it starts.
  let auditedByTask = false;
  try {
    // The embedded database may still be opening: policy needs the tool settings it holds, and
    // the catalog the tools it serves.
    if (!ctx.isReady) await settingsLoaded(ctx, meta.signal);
    const pinned = pinnedFor(ctx, meta.principal, name);
    tool = pinned?.tool ?? ctx.tools.get(name);
    version = pinned?.version ?? ctx.tools.versionOf(name);
    // A disabled or out-of-scope tool answers exactly as a missing one: the caller cannot tell
    // hidden tools from absent ones, and clients already handle "Unknown tool" as a protocol error.
    if (!tool || !mayUse(ctx, meta.principal, tool)) {
      outcome = tool ? "denied" : "invalid";
      errorText = `Unknown tool: ${name}`;
      throw new AppError("INVALID", errorText);
    }
    const limits = rateLimitsOf(ctx, meta.principal, name);
    // No limit, no round trip: the common case stays off the bus entirely.
    if (limits.length > 0) await enforceRateLimits(ctx.bus, ctx.log, limits);
    const input = tool.input.safeParse(args ?? {});
    if (!input.success) {
      outcome = "invalid";
      errorText = `Invalid arguments for ${name}: ${describeIssues(input.error)}`;
      return errorResult(errorText);
    }
    if (tool.task === "required" && !meta.takesTasks) {
      outcome = "invalid";
      errorText = `Tool ${name} runs only as a task, and this client did not say it takes tasks`;
      throw new TaskRequired(errorText);
    }
    if (tool.task && meta.takesTasks) {
      const prepared = tool.prepare
        ? await runWithTimeout(ctx, tool, input.data, meta, ctx.config.TOOL_TIMEOUT_MS, tool.prepare)
        : input.data;
      const task = await ctx.tasks.start({ tool, version, input: prepared, args, meta });
      auditedByTask = true;
      return new StartedTask(task);
    }
    const output = await runWithTimeout(ctx, tool, input.data, meta, ctx.config.TOOL_TIMEOUT_MS);
    return successResult(tool, output);
  } catch (error) {
    // The refusal above, already described for the audit row.
    if (errorText !== undefined) throw error;
    // Not a failure: the call ends to ask its client something (2026-07-28), and runs again with the answer.
    if (error instanceof InputRequired) {
      outcome = "input_required";
      throw error;
    }
    // The client cannot be asked what the tool needs (2026-07-28): the request is refused.
    if (error instanceof MissingClientCapability || error instanceof TaskRequired) {
      outcome = "invalid";
      errorText = error.message;
      throw error;
    }
    outcome = outcomeOf(error, meta.signal);
    // For the audit row: with its causes, and without the parameters of a failed query.
    errorText = describeError(error);
    if (error instanceof AppError && RECOVERABLE.has(error.code)) return errorResult(error.message);
    if (isRateLimited(error)) throw error;
    // A call its client cancelled ends with whatever its cancelled query threw: not our failure.
    if (outcome === "cancelled") ctx.log.debug({ err: error, tool: name }, "tool call cancelled");
    else ctx.log.error({ err: error, tool: name }, "tool call failed");
    if (error instanceof AppError && error.code === "UNAVAILABLE") throw error;
    throw new AppError("INTERNAL", `Tool ${name} failed`, { cause: error });
  } finally {
    if (!auditedByTask) auditCall(ctx, { name, tool, version, args, meta, outcome, errorText, started });
  }
}

interface FinishedCall {
  name: string;
  tool: AnyTool | undefined;
  version: string | undefined;
  args: unknown;
  meta: Pick<CallMeta, "principal" | "transport" | "sessionId">;
  outcome: Outcome;
  errorText: string | undefined;
  /** `performance.now()` when it began. */
  started: number;
}

/** The metrics and the audit record of a call (or a task) that has ended. */
export function auditCall(
  ctx: Pick<AppContext, "metrics" | "audit">,
  { name, tool, version, args, meta, outcome, errorText, started }: FinishedCall,
): void {
  const durationMs = performance.now() - started;
  const transport = meta.transport;
  // Unknown names stay out of the metric labels: a client must not be able to grow them at will.
  ctx.metrics.recordCall(tool ? name : "(unknown)", transport, outcome, durationMs / 1_000);
  ctx.audit.record({
    at: new Date(Date.now() - durationMs),
    tool: name,
    principal: meta.principal.id,
    transport,
    sessionId: meta.sessionId,
    durationMs: Math.round(durationMs),
    toolVersion: tool ? version : undefined,
    outcome,
    error: errorText,
    arguments: args,
  });
}

/** Waits for the first read of the tool settings, as long as a call may take, and says why not. */
async function settingsLoaded(ctx: AppContext, cancel: AbortSignal): Promise<void> {
  const timeoutMs = ctx.config.TOOL_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const waited = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new AppError("UNAVAILABLE", `The database did not open within ${timeoutMs} ms; try again`)),
      timeoutMs,
    );
    onAbort = () => reject(cancel.reason);
    cancel.addEventListener("abort", onAbort, { once: true });
  });
  try {
    // The database's own reason when it cannot open, rather than that of the first query it failed.
    await Promise.race([ctx.db.ready.then(() => ctx.ready), waited]);
  } catch (error) {
    if (error instanceof AppError || cancel.aborted) throw error;
    throw new AppError("UNAVAILABLE", `The database could not open: ${describeError(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener("abort", onAbort);
  }
}

function rateLimitsOf(ctx: AppContext, principal: Principal, tool: string): RateLimit[] {
  const limits: RateLimit[] = [];
  if (principal.rateLimitPerMinute !== undefined && principal.key) {
    const { id, prefix } = principal.key;
    limits.push({
      subject: `key:${id}`,
      perMinute: principal.rateLimitPerMinute,
      label: `API key mcpt_${prefix}`,
    });
  }
  // Per tool across every caller: it protects what the tool talks to, not fairness between clients.
  const perTool = ctx.toolSettings.get(tool).rateLimitPerMinute;
  if (perTool !== null) limits.push({ subject: `tool:${tool}`, perMinute: perTool, label: `tool ${tool}` });
  return limits;
}

/** Runs the tool (or `step`, one of its parts) as a call does: with its context, within `timeoutMs`. */
export async function runWithTimeout(
  ctx: Pick<AppContext, "db" | "log" | "resourceUpdates">,
  tool: AnyTool,
  input: unknown,
  meta: Pick<CallMeta, "signal" | "channel">,
  timeoutMs: number,
  step: AnyTool["run"] = tool.run,
) {
  const ending = new CallEnding(meta.signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AppError("TIMEOUT", `Tool ${tool.name} timed out after ${timeoutMs} ms`);
      ending.end(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const run = step(new ToolCallContext(ctx, ending, meta.channel), input);
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
    ending.release();
  }
}

export function successResult(tool: AnyTool, output: unknown): CallToolResult {
  const checked = tool.output.safeParse(output);
  if (!checked.success) {
    throw new AppError("INTERNAL", `Tool ${tool.name} returned output that does not match its schema`, {
      cause: checked.error,
    });
  }
  if (tool.content) return { content: tool.content(checked.data), structuredContent: checked.data };
  const text = tool.text ? tool.text(checked.data) : JSON.stringify(checked.data);
  return { content: [{ type: "text", text }], structuredContent: checked.data };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

export function outcomeOf(error: unknown, signal: AbortSignal): Outcome {
  if (isRateLimited(error)) return "rate_limited";
  if (error instanceof AppError && error.code === "TIMEOUT") return "timeout";
  if (signal.aborted) return "cancelled";
  return "error";
}

/** "text: expected string, received number; tags.0: …" — every bad field by its path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join(".") : "(arguments)";
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}
