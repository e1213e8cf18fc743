import { type AppContext, createMcpServer } from "@mcp-tools/core";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { Hono } from "hono";
import { methodNotAllowed, RpcCode, rpcError, sessionNotFound, shuttingDown } from "./json-rpc.js";
import { type McpEnv, readJsonRpcBody } from "./read-body.js";
import type { SessionRegistry, SseSession } from "./sessions.js";
import { SseServerTransport } from "./sse-transport.js";

export interface LegacySseRoutesOptions {
  sessions: SessionRegistry;
  generateSessionId: () => string;
}

const sseHeaders = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // nginx buffers responses by default, which would hold events back.
  "x-accel-buffering": "no",
};

/**
 * The HTTP+SSE transport of MCP 2024-11-05, for clients that predate Streamable HTTP: `GET /sse`
 * opens the session's stream and names the endpoint; `POST /messages?sessionId=…` carries client
 * messages, answered with 202 while the replies travel on the stream.
 */
export function legacySseRoutes(ctx: AppContext, { sessions, generateSessionId }: LegacySseRoutesOptions) {
  const { MAX_BODY_BYTES: maxBytes, SSE_KEEPALIVE_MS: keepAliveMs, PUBLIC_BASE_PATH: basePath } = ctx.config;
  const app = new Hono<McpEnv>();

  app.get("/sse", async (c) => {
    // Hono answers HEAD with the GET handler and drops the body: that would leave a session open.
    if (c.req.method === "HEAD") return methodNotAllowed("GET");
    // A client whose stream just ended reconnects at once; during shutdown it must not get a new one.
    if (ctx.lifecycle.draining || !sessions.accepting) return shuttingDown();
    const id = generateSessionId();
    // The endpoint is what the client will request, so it carries the prefix a proxy strips.
    const transport = new SseServerTransport({
      sessionId: id,
      endpoint: `${basePath}/messages?sessionId=${id}`,
      keepAliveMs,
    });
    const { principal } = c.var;
    const server = createMcpServer(ctx, { principal, transport: "sse" });
    server.onclose = () => sessions.remove(id);
    server.onerror = (error) => ctx.log.debug({ err: error }, "SSE session error");
    await server.connect(transport);
    const session: SseSession = {
      id,
      principalId: principal.id,
      kind: "sse",
      transport,
      lastSeen: 0,
      openStreams: 1,
      close: () => server.close(),
    };
    sessions.add(session);
    return new Response(transport.stream, { headers: sseHeaders });
  });

  app.post("/messages", async (c) => {
    const id = c.req.query("sessionId");
    if (!id) return rpcError(400, RpcCode.serverError, "Bad Request: sessionId query parameter is required");
    const session = sessions.use(id);
    // Another key's session is "not found", not "forbidden": a session id reveals nothing to a stranger.
    if (session?.kind !== "sse" || session.principalId !== c.var.principal.id) return sessionNotFound();
    const version = c.req.header("mcp-protocol-version");
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return rpcError(400, RpcCode.serverError, `Bad Request: Unsupported protocol version: ${version}`);
    }
    const read = await readJsonRpcBody(c, maxBytes);
    if (!read.ok) return read.response;
    for (const message of Array.isArray(read.body) ? read.body : [read.body])
      session.transport.handleMessage(message);
    return new Response(null, { status: 202 });
  });

  app.all("/sse", () => methodNotAllowed("GET"));
  app.all("/messages", () => methodNotAllowed("POST"));
  return app;
}
