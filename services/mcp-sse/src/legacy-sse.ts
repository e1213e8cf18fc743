import { type AppContext, createMcpServer } from "@mcp-tools/core";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { Hono } from "hono";
import { callerOf } from "./caller.js";
import type { SessionCluster } from "./cluster/cluster.js";
import { methodNotAllowed, RpcCode, rpcError, shuttingDown } from "./json-rpc.js";
import type { EdgeLimits } from "./limits.js";
import { type McpEnv, readJsonRpcBody } from "./read-body.js";
import { type SessionRegistry, type SseSession, sessionOf } from "./sessions.js";
import { deliverMessages } from "./sse-deliver.js";
import { SSE_HEADERS } from "./sse-frames.js";
import { SseServerTransport } from "./sse-transport.js";

export interface LegacySseRoutesOptions {
  sessions: SessionRegistry;
  /** Where a message for a session held by another process goes. */
  cluster: SessionCluster;
  generateSessionId: () => string;
  limits: EdgeLimits;
}

/**
 * The HTTP+SSE transport of MCP 2024-11-05, for clients that predate Streamable HTTP: `GET /sse`
 * opens the session's stream and names the endpoint; `POST /messages?sessionId=…` carries client
 * messages, answered with 202 while the replies travel on the stream. The stream stays with the
 * process that opened it; a message POSTed to another process is relayed to that one.
 */
export function legacySseRoutes(
  ctx: AppContext,
  { sessions, cluster, generateSessionId, limits }: LegacySseRoutesOptions,
) {
  const { SSE_KEEPALIVE_MS: keepAliveMs, PUBLIC_BASE_PATH: basePath } = ctx.config;
  const app = new Hono<McpEnv>();

  const find = (id: string, principalId: string) => sessionOf(sessions.use(id), "sse", principalId);

  app.get("/sse", async (c) => {
    // Hono answers HEAD with the GET handler and drops the body: that would leave a session open.
    if (c.req.method === "HEAD") return methodNotAllowed("GET");
    // A client whose stream just ended reconnects at once; during shutdown it must not get a new one.
    if (ctx.lifecycle.draining || !sessions.accepting) return shuttingDown();
    const id = generateSessionId();
    const { principal } = c.var;
    const caller = callerOf(principal, c.env?.incoming);
    if (!(await limits.quota.claim(caller, id))) return limits.refusals.sessions(limits.maxSessions);
    const calls = limits.inFlight.track(caller);
    // The endpoint is what the client will request, so it carries the prefix a proxy strips.
    const transport = new SseServerTransport({
      sessionId: id,
      endpoint: `${basePath}/messages?sessionId=${id}`,
      keepAliveMs,
      buffers: limits.buffers,
      connection: c.env?.incoming?.socket,
      calls,
    });
    const server = createMcpServer(ctx, { principal, transport: "sse" });
    server.onclose = () => {
      calls.end();
      sessions.remove(id);
    };
    server.onerror = (error) => ctx.log.debug({ err: error }, "SSE session error");
    await server.connect(transport).catch((error: unknown) => {
      limits.quota.release(id);
      throw error;
    });
    const session: SseSession = {
      id,
      principalId: principal.id,
      kind: "sse",
      transport,
      lastSeen: 0,
      openStreams: 1,
      calls,
      close: () => server.close(),
    };
    // Answered only once recorded: the client's first POST may land on another process.
    await sessions.add(session);
    return new Response(transport.stream, { headers: SSE_HEADERS });
  });

  app.post("/messages", async (c) => {
    const id = c.req.query("sessionId");
    if (!id) return rpcError(400, RpcCode.serverError, "Bad Request: sessionId query parameter is required");
    const { principal } = c.var;
    const version = c.req.header("mcp-protocol-version");
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return rpcError(400, RpcCode.serverError, `Bad Request: Unsupported protocol version: ${version}`);
    }
    const read = await readJsonRpcBody(c, limits.body);
    if (!read.ok) return read.response;
    const session = find(id, principal.id);
    if (session) return deliverMessages(session, read.body, limits);
    return cluster.forward({
      route: "messages",
      kind: "sse",
      sessionId: id,
      principal,
      request: c.req.raw,
      body: read.body,
    });
  });

  app.all("/sse", () => methodNotAllowed("GET"));
  app.all("/messages", () => methodNotAllowed("POST"));
  return app;
}
