import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { completePromptArgument, getPrompt, listPrompts } from "../../prompts/serve.js";
import {
  completeResourceVariable,
  listResources,
  listResourceTemplates,
  readResource,
} from "../../resources/serve.js";
import { visibleTools } from "../../tools/settings/visible.js";
import { callTool, StartedTask } from "../call-tool.js";
import { isLoggingLevel, type LoggingLevel } from "../client-log.js";
import { InputRequired, MissingClientCapability, TaskRequired } from "../input.js";
import type { Principal, TransportName } from "../principal.js";
import { RATE_LIMITED_CODE } from "../rate-limit.js";
import { type RpcError, rpcErrorOf } from "../rpc-error.js";
import { instructions, serverCapabilities, serverInfo } from "../server-info.js";
import type { ClientChannel } from "../tool-context.js";
import { clientCapabilitiesOf } from "./envelope.js";
import { createInputRounds } from "./input-round.js";
import { type HeaderParam, headerParamsOf } from "./param-headers.js";
import {
  createTaskResult,
  TASKS_EXTENSION,
  TaskExtensionMissing,
  takesTasks,
  taskHandlers,
  tasksExtensionRequired,
} from "./tasks.js";
import {
  completeResult,
  errorResponse,
  MODERN_RATE_LIMITED_CODE,
  ModernCode,
  type ModernResponse,
  type RequestId,
  SUPPORTED_VERSIONS,
} from "./wire.js";

/** Who asks, over what, and the signal that says they stopped waiting. */
export interface ModernCall {
  principal: Principal;
  transport: TransportName;
  signal: AbortSignal;
  /**
   * Sends a notification about this request before its response (progress, log messages), where
   * the transport can: stdio writes it, HTTP answers a request that asked for them with an SSE stream.
   */
  notify?: ((notification: ModernNotification) => void) | undefined;
}

export interface ModernNotification {
  jsonrpc: "2.0";
  method: string;
  params: Record<string, unknown>;
}

/** A request already checked against its envelope (the edge did that: its rules differ per transport). */
export interface ModernRequest {
  id: RequestId;
  method: string;
  params?: Record<string, unknown> | undefined;
}

/**
 * Answers MCP 2026-07-28 requests. Built once per process: tools, their descriptors and the server's
 * capabilities are computed here, never per request, so a request costs what its method costs.
 * `subscriptions/listen` is not here: it is a stream, and each transport holds its own (see listen.ts).
 */
export interface ModernDispatcher {
  /** The methods this era answers here, for the edge's method check (404 on HTTP). */
  answers(method: string): boolean;
  /** The arguments of a tool that its clients mirror into `Mcp-Param-*` headers (none for unknown tools). */
  headerParams(tool: string): readonly HeaderParam[];
  /** Never throws: every failure is a JSON-RPC error response. */
  answer(request: ModernRequest, call: ModernCall): Promise<ModernResponse>;
}

// MCP 2026-07-28 §Caching: hints on cacheable results. Discovery is the same for every caller; the
// tool list is filtered by the caller's key, so it is private. A client that does not listen for
// list_changed shows a tool an admin changed for as long as its cached list is fresh: seconds, not
// minutes, so that enabling or disabling a tool is seen at once, at the cost of a cheap re-fetch.
const DISCOVER_TTL_MS = 300_000;
const TOOLS_LIST_TTL_MS = 10_000;
// The prompt library changes when someone edits it; a client that does not listen lists again after this.
const PROMPTS_LIST_TTL_MS = 10_000;
// Notes change as people write them; a client lists or reads them again after this long.
const RESOURCES_TTL_MS = 10_000;

export function createModernDispatcher(ctx: AppContext): ModernDispatcher {
  // Built once per served tool list: again only when the catalog serves another.
  let paramsByTool: Map<string, readonly HeaderParam[]> | undefined;
  ctx.tools.onChange(() => {
    paramsByTool = undefined;
  });
  const headerParams = (tool: string) => {
    paramsByTool ??= new Map(
      ctx.tools.descriptors().map((descriptor) => [descriptor.name, headerParamsOf(descriptor)] as const),
    );
    return paramsByTool.get(tool) ?? [];
  };
  const openRound = createInputRounds(ctx.config.RELAY_SECRET);
  const discover = {
    supportedVersions: SUPPORTED_VERSIONS,
    // Tasks are this era's extension: the 2025 eras' `tasks` capability is never advertised here.
    capabilities: { ...serverCapabilities, extensions: { [TASKS_EXTENSION]: {} } },
    instructions,
    ttlMs: DISCOVER_TTL_MS,
    cacheScope: "public",
  };

  type Handler = (
    request: ModernRequest,
    call: ModernCall,
  ) => Promise<Record<string, unknown>> | Record<string, unknown>;
  const handlers = new Map<string, Handler>([
    ["server/discover", () => discover],
    [
      "tools/list",
      (_, { principal }) => ({
        tools: visibleTools(ctx, principal),
        ttlMs: TOOLS_LIST_TTL_MS,
        cacheScope: "private",
      }),
    ],
    ["tools/call", (request, call) => callToolRequest(ctx, openRound, request, call)],
    [
      "resources/list",
      async ({ params }, { principal, signal }) => ({
        ...(await listResources(
          ctx,
          { principal, signal },
          optionalString(params, "cursor", "resources/list"),
        )),
        ttlMs: RESOURCES_TTL_MS,
        cacheScope: "private",
      }),
    ],
    [
      "resources/templates/list",
      async (_, { principal }) => ({
        ...(await listResourceTemplates(ctx, { principal })),
        ttlMs: RESOURCES_TTL_MS,
        cacheScope: "private",
      }),
    ],
    [
      "completion/complete",
      async ({ params }, { principal, signal }) => {
        const asked = completionOf(params);
        return asked.kind === "prompt"
          ? completePromptArgument(ctx, principal, asked.name, asked.variable, asked.typed)
          : completeResourceVariable(ctx, { principal, signal }, asked.uri, asked.variable, asked.typed);
      },
    ],
    [
      "prompts/list",
      async (_, { principal }) => ({
        ...(await listPrompts(ctx, principal)),
        ttlMs: PROMPTS_LIST_TTL_MS,
        cacheScope: "private",
      }),
    ],
    ["prompts/get", (request, call) => getPromptRequest(ctx, openRound, request, call)],
    [
      "resources/read",
      async ({ params }, { principal, signal }) => {
        const uri = optionalString(params, "uri", "resources/read");
        if (uri === undefined) throw invalidParams("resources/read", "uri: expected a string");
        return {
          ...(await readResource(ctx, { principal, signal }, uri)),
          ttlMs: RESOURCES_TTL_MS,
          cacheScope: "private",
        };
      },
    ],
    ...taskHandlers(ctx.tasks),
  ]);

  return {
    answers: (method) => handlers.has(method),
    headerParams,
    async answer(request, call) {
      const handler = handlers.get(request.method);
      if (!handler) return errorResponse(request.id, methodNotFound(request.method));
      try {
        return completeResult(request.id, await handler(request, call), serverInfo);
      } catch (error) {
        return errorResponse(request.id, modernRpcErrorOf(error));
      }
    },
  };
}

async function callToolRequest(
  ctx: AppContext,
  openRound: ReturnType<typeof createInputRounds>,
  { params }: ModernRequest,
  call: ModernCall,
) {
  const name = params?.name;
  const args = params?.arguments;
  if (typeof name !== "string") throw invalidParams("tools/call", "name: expected a string");
  if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args)))
    throw invalidParams("tools/call", "arguments: expected an object");
  // Before the call: a state that fails its checks refuses the request (MCP 2026-07-28 §MRTR).
  const round = openRound({ principal: call.principal.id, tool: name, args, params });
  const channel = { ...channelOf(params, call.notify), ask: round.ask };
  const clientCapabilities = clientCapabilitiesOf(params);
  // `params.task` (the 2025 eras' opt-in) is ignored, as the extension asks: the server decides.
  try {
    const outcome = await callTool(ctx, name, args, {
      ...call,
      channel,
      clientCapabilities,
      takesTasks: takesTasks(clientCapabilities),
    });
    if (outcome instanceof StartedTask) return createTaskResult(outcome.task);
    return outcome;
  } catch (error) {
    if (error instanceof InputRequired) return round.inputRequired(error);
    if (error instanceof TaskRequired) throw new ModernRpcError(tasksExtensionRequired(error.message));
    if (error instanceof MissingClientCapability)
      throw new ModernRpcError({
        code: ModernCode.missingClientCapability,
        message: error.message,
        data: { requiredCapabilities: { [error.capability]: {} } },
      });
    throw error;
  }
}

/**
 * `prompts/get`, whose prompt may ask the client as a tool does (SEP-2322: input_required is not
 * only for tools/call), in rounds bound to the prompt's name and arguments.
 */
async function getPromptRequest(
  ctx: AppContext,
  openRound: ReturnType<typeof createInputRounds>,
  { params }: ModernRequest,
  { principal }: ModernCall,
) {
  const name = optionalString(params, "name", "prompts/get");
  if (name === undefined) throw invalidParams("prompts/get", "name: expected a string");
  const args = params?.arguments;
  const round = openRound({ principal: principal.id, tool: name, args, params, method: "prompts/get" });
  try {
    return await getPrompt(ctx, principal, name, args, round.ask);
  } catch (error) {
    if (error instanceof InputRequired) return round.inputRequired(error);
    // As for a tool: a question the client declared no capability for refuses the request.
    if (error instanceof MissingClientCapability)
      throw new ModernRpcError({
        code: ModernCode.missingClientCapability,
        message: error.message,
        data: { requiredCapabilities: { [error.capability]: {} } },
      });
    throw error;
  }
}

const LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel";

function metaOf(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const meta = params?._meta;
  return typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>) : {};
}

/** The request's progress token (a string or an integer, in `_meta`), if it carries one. */
function progressTokenOf(params: Record<string, unknown> | undefined): string | number | undefined {
  const token = metaOf(params).progressToken;
  return typeof token === "string" || Number.isSafeInteger(token) ? (token as string | number) : undefined;
}

/** The least severe log level the request asks to be sent (MCP 2026-07-28: per request, in `_meta`). */
function logLevelOf(params: Record<string, unknown> | undefined): LoggingLevel | undefined {
  const level = metaOf(params)[LOG_LEVEL_KEY];
  return isLoggingLevel(level) ? level : undefined;
}

/** Whether the request asked for notifications before its response: progress, or log messages. */
export const asksForNotifications = (params: Record<string, unknown> | undefined): boolean =>
  progressTokenOf(params) !== undefined || logLevelOf(params) !== undefined;

function channelOf(params: Record<string, unknown> | undefined, notify: ModernCall["notify"]): ClientChannel {
  if (!notify) return {};
  const token = progressTokenOf(params);
  const minimum = logLevelOf(params);
  const send = (method: string, params: Record<string, unknown>) =>
    notify({ jsonrpc: "2.0", method, params });
  return {
    progress:
      token === undefined
        ? undefined
        : (progress) => send("notifications/progress", { progressToken: token, ...progress }),
    log:
      minimum === undefined
        ? undefined
        : { minimum, send: (message) => send("notifications/message", { ...message }) },
  };
}

/** What `completion/complete` asks: a prompt's argument or a resource template's variable, and what is typed so far. */
function completionOf(params: Record<string, unknown> | undefined) {
  const ref = params?.ref as Record<string, unknown> | undefined;
  const argument = params?.argument as Record<string, unknown> | undefined;
  if (typeof argument?.name !== "string" || typeof argument.value !== "string")
    throw invalidParams("completion/complete", "argument: expected a name and a value");
  const asked = { variable: argument.name, typed: argument.value };
  if (ref?.type === "ref/prompt" && typeof ref.name === "string")
    return { kind: "prompt" as const, name: ref.name, ...asked };
  if (ref?.type === "ref/resource" && typeof ref.uri === "string")
    return { kind: "resource" as const, uri: ref.uri, ...asked };
  throw invalidParams(
    "completion/complete",
    "ref: expected a ref/prompt with a name or a ref/resource with a uri",
  );
}

function optionalString(params: Record<string, unknown> | undefined, key: string, method: string) {
  const value = params?.[key];
  if (value !== undefined && typeof value !== "string")
    throw invalidParams(method, `${key}: expected a string`);
  return value;
}

const invalidParams = (method: string, detail: string) =>
  new AppError("INVALID", `Invalid params for ${method}: ${detail}`);

const methodNotFound = (method: string) => ({
  code: ModernCode.methodNotFound,
  message: `Method not found: ${method.slice(0, 100)}`,
});

/** An error this era defines itself, sent as it is. */
class ModernRpcError extends Error {
  constructor(readonly rpc: RpcError) {
    super(rpc.message);
  }
}

function modernRpcErrorOf(error: unknown): RpcError {
  if (error instanceof ModernRpcError) return error.rpc;
  if (error instanceof TaskExtensionMissing) return tasksExtensionRequired(error.message);
  const rpc = rpcErrorOf(error);
  return rpc.code === RATE_LIMITED_CODE ? { ...rpc, code: MODERN_RATE_LIMITED_CODE } : rpc;
}
