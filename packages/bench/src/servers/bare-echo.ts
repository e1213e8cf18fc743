import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

/** The baseline's MCP server: what the SDK's README builds, one echo tool and nothing else. */
export function createBareEchoServer(): McpServer {
  const server = new McpServer({ name: "bare-sdk", version: "0.0.0" });
  server.registerTool(
    "echo",
    { description: "Returns the given text unchanged.", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}
