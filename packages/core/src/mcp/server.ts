import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../context.js";
import { callTool } from "./call-tool.js";
import type { Principal, TransportName } from "./principal.js";

export interface McpServerOptions {
  principal: Principal;
  transport: TransportName;
}

export const serverInfo = { name: "mcp-tools", title: "mcp-tools", version: "0.1.0" };

/**
 * An MCP server for one client connection. The only place that knows the SDK's server API;
 * transports connect it, tools never see it. One per session: servers are never shared.
 */
export function createMcpServer(ctx: AppContext, { principal, transport }: McpServerOptions): Server {
  const server = new Server(serverInfo, {
    capabilities: { tools: { listChanged: true } },
    instructions:
      "Tools shared by every client of this server: `echo` for diagnostics and a notes knowledge base " +
      "(note_save, note_search, note_get, note_list, note_delete) that all clients read and write.",
  });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: ctx.tools.descriptors() }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    callTool(ctx, request.params.name, request.params.arguments, {
      principal,
      transport,
      sessionId: extra.sessionId,
      signal: extra.signal,
    }),
  );
  return server;
}
