import { type AppContext, createMcpServer, type Principal } from "@mcp-tools/core";
import { type Context, Hono } from "hono";
import { callerOf } from "./caller.js";
import type { SessionCluster } from "./cluster/cluster.js";
import { CountedStreamableTransport } from "./counted-transport.js";
import { methodNotAllowed, RpcCode, rpcError, sessionIdRequired, shuttingDown } from "./json-rpc.js";
import type { EdgeLimits } from "./limits.js";
import type { ModernHttp } from "./modern.js";
import { type JsonRpcBody, type McpEnv, readJsonRpcBody } from "./read-body.js";
import { createReplayStore } from "./replay-store.js";
import { createSessionHandler } from "./session-handler.js";
import { type SessionRegistry, type StreamableSession, sessionOf } from "./sessions.js";

export interface StreamableRoutesOptions {
  sessions: SessionRegistry;
  /** The stateless era (2026-07-28), answered here whatever replica the client reached before. */
  modern: ModernHttp;
  /** Where a request for a session held by another process goes. */
  cluster: SessionCluster;
  generateSessionId: () => string;
  limits: EdgeLimits;
}

const ALLOW = "GET, POST, DELETE";
/** The SSE `retry` a client waits before coming back for a stream that ended (SEP-1699). */
const RETRY_AFTER_MS = 1_000;

/**
 * Streamable HTTP at `/mcp`. MCP 2026-07-28 requests go to `modern`; the 2025 eras get one SDK
 * transport and one MCP server per session.
 * We parse the body ourselves (size limit, precise JSON-RPC errors) and hand it over as `parsedBody`.
 * A request for a session another process holds is relayed there, and its answer relayed back.
 */
export function streamableRoutes(
  ctx: AppContext,
  { sessions, modern, cluster, generateSessionId, limits }: StreamableRoutesOptions,
) {
  const { SSE_KEEPALIVE_MS: keepAliveMs } = ctx.config;
  const app = new Hono<McpEnv>();

  const find = (id: string, principalId: string) =>
    sessionOf(sessions.use(id), "streamable-http", principalId);

  /**
   * Relays a request for a session held elsewhere. A stream relayed back is bounded here as a local
   * one is at its owner: the owner reads it as fast as the bus carries it, so a client that stops
   * reading piles data up in this process.
   */
  async function elsewhere(c: Context<McpEnv>, sessionId: string, body?: JsonRpcBody) {
    const request = c.req.raw;
    const { principal } = c.var;
    const response = await cluster.forward({
      route: "mcp",
      kind: "streamable-http",
      sessionId,
      principal,
      request,
      body,
    });
    if (!response.body || response.headers.get("content-type") !== "text/event-stream") return response;
    const connection = c.env?.incoming?.socket;
    const streamed = limits.buffers.bound(response.body, {
      transport: "streamable-http",
      sessionId,
      connection,
    });
    return new Response(streamed, { status: response.status, headers: response.headers });
  }

  const handle = createSessionHandler(limits);

  app.post("/mcp", async (c) => {
    const accept = c.req.header("accept");
    // MCP 2025-11-25 §Sending Messages: the client MUST accept both.
    if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) {
      return rpcError(
        406,
        RpcCode.serverError,
        "Not Acceptable: Client must accept both application/json and text/event-stream",
      );
    }
    const read = await readJsonRpcBody(c, limits.body);
    if (!read.ok) return read.response;
    // The era is the body's (MCP 2026-07-28 §Versioning): a modern request's session id is ignored.
    const stateless = modern.handle(c, read.body);
    if (stateless) return stateless;
    const id = c.req.header("mcp-session-id");
    const { principal } = c.var;
    const session = id === undefined ? undefined : find(id, principal.id);
    if (session) return handle(session, c.req.raw, read.body, c.env?.incoming?.socket);
    if (id !== undefined) return elsewhere(c, id, read.body);
    if (!isInitialize(read.body)) return sessionIdRequired();
    if (ctx.lifecycle.draining || !sessions.accepting) return shuttingDown();
    return openSession(c.req.raw, read.body, principal, callerOf(principal, c.env?.incoming));
  });

  app.get("/mcp", async (c) => {
    // Hono answers HEAD with the GET handler and drops the body: that would leave a stream open.
    if (c.req.method === "HEAD") return methodNotAllowed(ALLOW);
    const id = c.req.header("mcp-session-id");
    if (id === undefined) return sessionIdRequired();
    const session = find(id, c.var.principal.id);
    return session ? handle(session, c.req.raw, undefined, c.env?.incoming?.socket) : elsewhere(c, id);
  });

  app.delete("/mcp", async (c) => {
    const id = c.req.header("mcp-session-id");
    if (id === undefined) return sessionIdRequired();
    const session = find(id, c.var.principal.id);
    return session ? handle(session, c.req.raw) : elsewhere(c, id);
  });

  app.all("/mcp", () => methodNotAllowed(ALLOW));

  async function openSession(
    request: Request,
    body: JsonRpcBody,
    principal: Principal,
    caller: string,
  ): Promise<Response> {
    // The id is drawn first so that the caller's place is taken before any work for the session.
    const id = generateSessionId();
    if (!(await limits.quota.claim(caller, id))) return limits.refusals.sessions(limits.maxSessions);
    const server = createMcpServer(ctx, { principal, transport: "streamable-http" });
    const calls = limits.inFlight.track(caller);
    // Only where streams are closed for polling (SSE_POLL_AFTER_MS): every stream's events are then
    // kept (bounded) so a client can resume one, and the transport primes a 2025-11-25 client's
    // streams with an event id and this hint. Kept always, they would cost each session up to the
    // replay bounds for a redelivery most clients never ask for.
    const replay = ctx.config.SSE_POLL_AFTER_MS > 0 ? createReplayStore(limits.replay) : undefined;
    let session: StreamableSession | undefined;
    const options = {
      sessionIdGenerator: () => id,
      keepAliveMs,
      ...(replay && { eventStore: replay, retryInterval: RETRY_AFTER_MS }),
      onsessioninitialized: (): Promise<void> => {
        session = {
          id,
          principalId: principal.id,
          kind: "streamable-http",
          transport,
          lastSeen: 0,
          openStreams: 0,
          calls,
          close: () => server.close(),
        };
        // Answered only once recorded: the client's next request may land on another process.
        return sessions.add(session);
      },
    };
    const transport = new CountedStreamableTransport(options, calls);
    server.onclose = () => {
      calls.end();
      replay?.clear();
      if (transport.sessionId !== undefined) sessions.remove(transport.sessionId);
    };
    server.onerror = (error) => ctx.log.debug({ err: error }, "streamable HTTP session error");
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, { parsedBody: body });
    } finally {
      // Refused before initializing (wrong Content-Type, say): there is no session to keep.
      if (!session) {
        limits.quota.release(id);
        await server.close();
      }
    }
  }

  return app;
}

function isInitialize(body: JsonRpcBody): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => "method" in message && message.method === "initialize");
}
