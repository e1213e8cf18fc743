import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type LoggingLevel,
  SetLevelRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { AppContext } from "../context.js";
import { listSignature, visibleTools } from "../tools/settings/visible.js";
import { callTool, StartedTask } from "./call-tool.js";
import { resultForRevision } from "./content-revision.js";
import { answerMalformedParams } from "./malformed-params.js";
import type { Principal, TransportName } from "./principal.js";
import { servePrompts } from "./prompts.js";
import { serveResources } from "./resources.js";
import { sdkError } from "./rpc-error.js";
import { instructions, serverCapabilities, serverInfo } from "./server-info.js";
import { inOrder, sessionChannel } from "./session-channel.js";
import { asksForTask, refuseTaskless, sessionCallError, sessionCallResult } from "./tasks/session-call.js";
import { serveSessionTasks } from "./tasks/session-methods.js";
import { sessionRevision } from "./tasks/session-revision.js";
import { sessionTasksCapability, withTaskSupport } from "./tasks/session-wire.js";

export interface McpServerOptions {
  principal: Principal;
  transport: TransportName;
}

/**
 * An MCP server for one client connection (the 2025 eras). The only place that knows the SDK's
 * server API; transports connect it, tools never see it. One per session: servers are never
 * shared. It shows the principal only the enabled tools in its scope, and sends
 * `tools/list_changed` when a settings change alters that list (and only then); resources and
 * prompts are served by resources.ts and prompts.ts, tasks (2025-11-25) by tasks/session-*.ts.
 */
export function createMcpServer(ctx: AppContext, { principal, transport }: McpServerOptions): Server {
  const server = new Server(serverInfo, {
    // Declared for the SDK's sake; told only to clients of a revision with tasks (session-revision.ts).
    capabilities: { ...serverCapabilities, tasks: sessionTasksCapability },
    instructions,
    jsonSchemaValidator: validatorOnDemand(),
  });
  const session = sessionRevision(server);
  // What the client last saw, as a comparable string; undefined until it first lists.
  let shown: string | undefined;
  server.setRequestHandler(ListToolsRequestSchema, () => {
    const tools = visibleTools(ctx, principal);
    shown = listSignature(tools);
    return { tools: session.tasks ? withTaskSupport(ctx, principal, tools) : tools };
  });
  // What the client asked for with logging/setLevel; until it does, it is sent no log messages.
  let logLevel: LoggingLevel | undefined;
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    logLevel = request.params.level;
    return {};
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    const related = inOrder(extra.sendNotification);
    try {
      const asTask = asksForTask(session, request.params);
      if (asTask) refuseTaskless(ctx, principal, name);
      const outcome = await callTool(ctx, name, args, {
        principal,
        transport,
        sessionId: extra.sessionId,
        signal: extra.signal,
        channel: sessionChannel(server, related, {
          progressToken: request.params._meta?.progressToken,
          logLevel,
          sendRequest: extra.sendRequest,
        }),
        takesTasks: asTask,
        clientCapabilities: server.getClientCapabilities(),
      });
      const shown = outcome instanceof StartedTask ? outcome : resultForRevision(outcome, session.revision);
      return sessionCallResult(shown, asTask);
    } catch (error) {
      throw sdkError(sessionCallError(error, session));
    } finally {
      await related.sent();
    }
  });
  const changed = () => {
    if (shown === undefined) return;
    const now = listSignature(visibleTools(ctx, principal));
    if (now === shown) return;
    shown = now;
    server.sendToolListChanged().catch((error: unknown) => {
      ctx.log.debug({ err: error }, "could not send tools/list_changed");
    });
  };
  // Settings (enabled, description) and the catalog (approved versions) each change the list; and
  // the resources the session subscribed to, and the prompt library.
  const stops = [
    ctx.toolSettings.onChange(changed),
    ctx.tools.onChange(changed),
    serveResources(server, ctx, principal),
    servePrompts(server, ctx, principal),
  ];
  serveSessionTasks(server, ctx, { principal, session });
  const stopWatching = () => {
    for (const stop of stops) stop();
  };
  releaseOnClose(server, stopWatching);
  answerMalformedParams(server);
  return server;
}

/**
 * The SDK's JSON Schema validator (it checks elicitation answers), made the first time this server
 * needs it. The SDK would make one per server: an Ajv instance, some 6 ms of every session's start
 * and of a stdio server's first answer, for sessions that mostly never ask.
 */
function validatorOnDemand(): jsonSchemaValidator {
  let validator: AjvJsonSchemaValidator | undefined;
  return {
    getValidator: (schema) => {
      validator ??= new AjvJsonSchemaValidator();
      return validator.getValidator(schema);
    },
  };
}

/**
 * Runs `release` when the server closes, whoever closes it. Transports set `onclose` after we
 * return, so a plain assignment here would be overwritten: the property keeps theirs and ours.
 */
function releaseOnClose(server: Server, release: () => void) {
  let theirs: (() => void) | undefined;
  Object.defineProperty(server, "onclose", {
    configurable: true,
    get: () => () => {
      release();
      theirs?.();
    },
    set: (handler: (() => void) | undefined) => {
      theirs = handler;
    },
  });
}
