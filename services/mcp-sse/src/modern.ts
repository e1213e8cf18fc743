import type { AppContext, Principal } from "@mcp-tools/core";
import {
  asksForNotifications,
  createModernDispatcher,
  errorResponse,
  MODERN_RATE_LIMITED_CODE,
  ModernCode,
  type ModernRequest,
  type ModernResponse,
  openSubscription,
  type Route,
  routeMessage,
} from "@mcp-tools/core/modern";
import type { Context } from "hono";
import { callerOf } from "./caller.js";
import type { EdgeLimits } from "./limits.js";
import type { ListenStreams } from "./listen-streams.js";
import type { JsonRpcBody, McpEnv } from "./read-body.js";
import { createLimitRefusals } from "./refusals.js";
import { KEEP_ALIVE_FRAME, SSE_HEADERS, sseEvent } from "./sse-frames.js";

const JSON_HEADERS = { "content-type": "application/json" };

/** The stateless era on `/mcp`: answered here, by whichever replica receives it. */
export interface ModernHttp {
  /** Answers a POST the body of which is of the modern era; undefined for the session-holding eras. */
  handle(c: Context<McpEnv>, body: JsonRpcBody): Promise<Response> | undefined;
}

/**
 * MCP 2026-07-28 over Streamable HTTP: one POST, one answer, no session. A call counts against its
 * caller's in-flight limit while it runs; a listen stream holds one of the caller's session places
 * (it is what holds memory here between requests) and is bounded like every stream we send.
 */
export function createModernHttp(ctx: AppContext, limits: EdgeLimits, listening: ListenStreams): ModernHttp {
  const dispatcher = createModernDispatcher(ctx);
  const refusals = createLimitRefusals(ctx.metrics, MODERN_RATE_LIMITED_CODE);

  async function answer(c: Context<McpEnv>, request: ModernRequest, principal: Principal, caller: string) {
    const calls = limits.inFlight.track(caller);
    const message = { jsonrpc: "2.0" as const, id: request.id, method: request.method };
    if (!calls.admit(message)) return refusals.inFlight(limits.maxInFlight);
    if (asksForNotifications(request.params) && acceptsEventStream(c))
      return stream(c, request, principal, calls.end);
    try {
      const signal = cancelledWhenClosed(c);
      const response = await dispatcher.answer(request, { principal, transport: "streamable-http", signal });
      return json(statusOf(response), response);
    } finally {
      calls.end();
    }
  }

  /**
   * A request that asked for progress or log messages, answered with an SSE stream: its
   * notifications, then its response, which ends the stream. A client that closes the stream cancels the request, and
   * nothing more is written to it.
   */
  function stream(c: Context<McpEnv>, request: ModernRequest, principal: Principal, ended: () => void) {
    const cancel = new AbortController();
    const out = limits.buffers.open({
      transport: "streamable-http",
      sessionId: `request:${crypto.randomUUID()}`,
      connection: c.env?.incoming?.socket,
      onEnd: (how) => {
        if (how !== "closed") cancel.abort(new Error("the client closed the stream"));
      },
    });
    const send = (message: object) => out.write(sseEvent("message", JSON.stringify(message)));
    void dispatcher
      .answer(request, { principal, transport: "streamable-http", signal: cancel.signal, notify: send })
      .then((response) => {
        send(response);
        out.close();
      })
      .finally(ended);
    return new Response(out.stream, { status: 200, headers: SSE_HEADERS });
  }

  async function listen(c: Context<McpEnv>, request: ModernRequest, principal: Principal, caller: string) {
    const place = `listen:${crypto.randomUUID()}`;
    if (!(await limits.quota.claim(caller, place))) return refusals.sessions(limits.maxSessions);
    let end = () => {};
    const out = limits.buffers.open({
      transport: "streamable-http",
      sessionId: place,
      connection: c.env?.incoming?.socket,
      onEnd: () => end(),
    });
    const send = (message: object) => out.write(sseEvent("message", JSON.stringify(message)));
    const subscription = openSubscription(ctx, request, principal, send);
    const keepAlive = setInterval(() => out.write(KEEP_ALIVE_FRAME), ctx.config.SSE_KEEPALIVE_MS);
    keepAlive.unref();
    const close = () => {
      send(subscription.closing);
      out.close();
    };
    const forget = listening.add(close);
    end = () => {
      clearInterval(keepAlive);
      subscription.close();
      forget();
      limits.quota.release(place);
    };
    send(subscription.acknowledged);
    return new Response(out.stream, { status: 200, headers: SSE_HEADERS });
  }

  return {
    handle(c, body) {
      const header = (name: string) => c.req.raw.headers.get(name) ?? undefined;
      const route = routeMessage({ body, header }, dispatcher);
      return route.kind === "legacy" ? undefined : respond(c, route);
    },
  };

  async function respond(c: Context<McpEnv>, route: Exclude<Route, { kind: "legacy" }>) {
    if (route.kind === "refused") return json(route.status, errorResponse(route.id, route.error));
    // MCP 2026-07-28 defines no client notification over HTTP; one we are sent is accepted and dropped.
    if (route.kind === "notification") return new Response(null, { status: 202 });
    const { principal } = c.var;
    const caller = callerOf(principal, c.env?.incoming);
    if (route.request.method === "subscriptions/listen") return listen(c, route.request, principal, caller);
    return answer(c, route.request, principal, caller);
  }
}

const acceptsEventStream = (c: Context<McpEnv>) =>
  c.req.header("accept")?.includes("text/event-stream") ?? false;

// MCP 2026-07-28 §Streamable HTTP: a request refused for a capability the client did not declare
// is answered 400 Bad Request; every other answer, errors included, 200.
const statusOf = (response: ModernResponse) =>
  response.error?.code === ModernCode.missingClientCapability ? 400 : 200;

const json = (status: number, body: ModernResponse) =>
  new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });

const closing = new WeakMap<object, AbortSignal>();

/**
 * Aborted when the client closes its connection, which in MCP 2026-07-28 cancels the request
 * (§Cancellation). One signal per connection rather than per request: HTTP/1.1 answers a
 * connection's requests one at a time, and a request's own signal costs an AbortController and a
 * listener on every call.
 */
function cancelledWhenClosed(c: Context<McpEnv>): AbortSignal {
  const socket = c.env?.incoming?.socket;
  if (!socket) return c.req.raw.signal;
  let signal = closing.get(socket);
  if (!signal) {
    const controller = new AbortController();
    socket.once("close", () => controller.abort(new Error("the client closed the connection")));
    signal = controller.signal;
    closing.set(socket, signal);
  }
  return signal;
}
