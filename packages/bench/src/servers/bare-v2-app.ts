import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { Hono } from "hono";
import { z } from "zod";

/** The v2 baseline's MCP server: the v1 baseline's one echo tool, registered the SDK v2 way. */
export function createBareV2EchoServer(): McpServer {
  const server = new McpServer({ name: "bare-sdk-v2", version: "0.0.0" });
  server.registerTool(
    "echo",
    { description: "Returns the given text unchanged.", inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}

/**
 * Baseline for MCP 2026-07-28: SDK v2's `createMcpHandler` (a fresh server per request, 2025-era
 * requests served statelessly by its default legacy leg) on a Hono route, the way the SDK's Hono
 * example mounts it. Not `@modelcontextprotocol/hono`: its app adds only host/origin checks and a
 * second JSON parse, and the route is this same `handler.fetch(c.req.raw)`.
 */
export function createBareV2App(): { app: Hono; close(): Promise<void> } {
  const handler = createMcpHandler(createBareV2EchoServer);
  const app = new Hono();
  app.all("/mcp", (c) => handler.fetch(c.req.raw));
  return { app, close: handler.close };
}
