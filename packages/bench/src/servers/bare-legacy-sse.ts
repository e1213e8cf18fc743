import type { IncomingMessage, ServerResponse } from "node:http";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { createBareEchoServer } from "./bare-echo.js";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Baseline HTTP+SSE (2024-11-05): the SDK's SSEServerTransport on plain node:http. */
export function createBareLegacyHandler(): NodeHandler {
  const sessions = new Map<string, SSEServerTransport>();
  return function handleLegacy(req, res) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport("/messages", res);
      sessions.set(transport.sessionId, transport);
      res.on("close", () => sessions.delete(transport.sessionId));
      void createBareEchoServer().connect(transport);
      return;
    }
    const transport = sessions.get(url.searchParams.get("sessionId") ?? "");
    if (req.method !== "POST" || !transport) {
      res.writeHead(404).end("Session not found");
      return;
    }
    void transport.handlePostMessage(req, res);
  };
}

export function isLegacyPath(url: string | undefined): boolean {
  return url === "/sse" || url?.startsWith("/sse?") === true || url?.startsWith("/messages") === true;
}
