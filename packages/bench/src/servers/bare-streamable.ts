import { randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono } from "hono";
import { createBareEchoServer } from "./bare-echo.js";

/** Baseline Streamable HTTP: a Hono route, one SDK transport and McpServer per session. */
export function createBareStreamableApp(): Hono {
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const app = new Hono();
  app.all("/mcp", async (c) => {
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) return c.json(jsonRpcError("Session not found"), 404);
      return transport.handleRequest(c.req.raw);
    }
    if (c.req.method !== "POST") return c.json(jsonRpcError("Missing Mcp-Session-Id"), 400);
    // The transport itself answers 400 when this first request is not an initialize.
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await createBareEchoServer().connect(transport);
    return transport.handleRequest(c.req.raw);
  });
  return app;
}

function jsonRpcError(message: string) {
  return { jsonrpc: "2.0", error: { code: -32000, message }, id: null };
}
