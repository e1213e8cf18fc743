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

/**
 * Hands the request to the session's transport. A stream it answers with (the GET stream, or a
 * POST's answers) is bounded in what may wait for a client that stops reading, and counted as
 * open until it ends, so that the idle sweep spares a session that is busy or listening.
 */
export function createSessionHandler({ buffers }: Pick<EdgeLimits, "buffers">): SessionHandler {
  return async function handle(session, request, body, connection) {
    const response = await session.transport.handleRequest(
      request,
      body === undefined ? undefined : { parsedBody: body },
    );
    if (!response.body || response.headers.get("content-type") !== "text/event-stream") return response;
    session.openStreams += 1;
    const streamed = buffers.bound(response.body, {
      transport: "streamable-http",
      sessionId: session.id,
      connection,
      onEnd: () => {
        session.openStreams -= 1;
      },
    });
    return new Response(streamed, { status: response.status, headers: response.headers });
  };
}
