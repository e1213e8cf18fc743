import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../context.js";
import { visibleTools } from "../tools/settings/visible.js";
import { callTool } from "./call-tool.js";
import { answerMalformedParams } from "./malformed-params.js";
import type { Principal, TransportName } from "./principal.js";

export interface McpServerOptions {
  principal: Principal;
  transport: TransportName;
}

export const serverInfo = { name: "mcp-tools", title: "mcp-tools", version: "0.1.0" };

/**
 * An MCP server for one client connection. The only place that knows the SDK's server API;
 * transports connect it, tools never see it. One per session: servers are never shared.
 * It shows the principal only the enabled tools in its scope, and sends `tools/list_changed` when
 * a settings change alters that list (and only then).
 */
export function createMcpServer(ctx: AppContext, { principal, transport }: McpServerOptions): Server {
  const server = new Server(serverInfo, {
    capabilities: { tools: { listChanged: true } },
    instructions:
      "Tools shared by every client of this server: `echo` for diagnostics and a notes knowledge base " +
      "(note_save, note_search, note_get, note_list, note_delete) that all clients read and write.",
  });
  // What the client last saw, as a comparable string; undefined until it first lists.
  let shown: string | undefined;
  server.setRequestHandler(ListToolsRequestSchema, () => {
    const tools = visibleTools(ctx, principal);
    shown = signatureOf(tools);
    return { tools };
  });
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    callTool(ctx, request.params.name, request.params.arguments, {
      principal,
      transport,
      sessionId: extra.sessionId,
      signal: extra.signal,
    }),
  );
  const stopWatching = ctx.toolSettings.onChange(() => {
    if (shown === undefined) return;
    const now = signatureOf(visibleTools(ctx, principal));
    if (now === shown) return;
    shown = now;
    server.sendToolListChanged().catch((error: unknown) => {
      ctx.log.debug({ err: error }, "could not send tools/list_changed");
    });
  });
  releaseOnClose(server, stopWatching);
  answerMalformedParams(server);
  return server;
}

// Settings change only which tools show and their descriptions: that is all a list needs comparing on.
const signatureOf = (tools: readonly Tool[]) =>
  tools.map((tool) => `${tool.name}\n${tool.description}`).join("\n\n");

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
