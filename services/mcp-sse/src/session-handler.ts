import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { EdgeLimits } from "./limits.js";
import type { JsonRpcBody } from "./read-body.js";
import type { StreamableSession } from "./sessions.js";

/** Answers a request for a Streamable HTTP session held here, from a client or relayed. */
export type SessionHandler = (
  session: StreamableSession,
  request: Request,
  body?: JsonRpcBody,
  /** The client's connection; absent for a relayed request. */
  connection?: { destroy(): void },
) => Promise<Response>;

const isRequest = (message: JSONRPCMessage) => "method" in message && "id" in message;

/** Whether the body holds a request: only then does a POST open a stream for the answers. */
export const hasRequest = (body: JsonRpcBody | undefined): boolean =>
  body !== undefined && (Array.isArray(body) ? body.some(isRequest) : isRequest(body));

/** The first revision whose clients are primed with an event id and may be sent to poll (SEP-1699). */
const POLLING_REVISION = "2025-11-25";

/**
 * Whether this is a call's stream whose client holds an event id to come back with: a POST's
 * stream opens with a priming event from 2025-11-25 on (the transport checks the header before
 * answering). A stream the client resumed is left open: it is where the answer comes, and a client
 * may read it only once (the conformance suite does).
 */
const canPoll = (request: Request): boolean =>
  request.method === "POST" && (request.headers.get("mcp-protocol-version") ?? "") >= POLLING_REVISION;

/**
 * Hands the request to the session's transport. A request that opens a stream (the GET stream, or
 * a POST awaiting answers) is refused with 429 while the session has `maxStreams` open: the SDK
 * transport allows one GET stream, but a POST stream each, without limit. A stream it answers with
 * is bounded in what may wait for a client that stops reading, and counted as open until it
 * ends, which also spares a busy or listening session from the idle sweep.
 * With `pollAfterMs`, a call's stream whose client can come back for the rest (canPoll) is closed once
 * open that long (MCP 2025-11-25 §Transports: the server MAY close the connection before the
 * response once it has sent an event id); the client polls with GET + Last-Event-ID. No
 * connection then outlasts a proxy's or load balancer's timeout, and a long call holds no stream.
 */
export function createSessionHandler({
  buffers,
  maxStreams,
  maxInFlight,
  refusals,
  pollAfterMs,
}: Pick<EdgeLimits, "buffers" | "maxStreams" | "maxInFlight" | "refusals" | "pollAfterMs">): SessionHandler {
  return async function handle(session, request, body, connection) {
    const parsed = body === undefined ? undefined : { parsedBody: body };
    const requests = hasRequest(body);
    if (request.method === "DELETE" || (request.method === "POST" && !requests)) {
      // Notifications still count: a cancellation frees its request's place.
      if (body !== undefined) session.calls.admit(body);
      return session.transport.handleRequest(request, parsed);
    }
    if (session.openStreams >= maxStreams) return refusals.streams(maxStreams);
    if (body !== undefined && !session.calls.admit(body)) return refusals.inFlight(maxInFlight);
    // Counted before the transport answers, so that requests arriving together cannot all pass.
    session.openStreams += 1;
    let response: Response;
    try {
      response = await session.transport.handleRequest(request, parsed);
    } catch (error) {
      session.openStreams -= 1;
      if (requests && body !== undefined) session.calls.withdraw(body);
      throw error;
    }
    if (!response.body || response.headers.get("content-type") !== "text/event-stream") {
      session.openStreams -= 1;
      // Refused by the transport (unknown session, bad protocol version…): nothing runs.
      if (requests && body !== undefined) session.calls.withdraw(body);
      return response;
    }
    const poll = pollAfterMs > 0 && canPoll(request) ? new AbortController() : undefined;
    const timer = poll && setTimeout(() => poll.abort(), pollAfterMs);
    const streamed = buffers.bound(response.body, {
      transport: "streamable-http",
      sessionId: session.id,
      connection,
      endOn: poll?.signal,
      onEnd: () => {
        clearTimeout(timer);
        session.openStreams -= 1;
      },
    });
    return new Response(streamed, { status: response.status, headers: response.headers });
  };
}
