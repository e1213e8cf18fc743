import type { JsonRpcResponse } from "./jsonrpc.js";
import { parseSseBody } from "./sse-parser.js";

/** A POST answer comes as JSON or as an SSE stream holding the response among other messages. */
export function readAnswer(contentType: string | undefined, body: string, id: number): JsonRpcResponse {
  if (!contentType?.startsWith("text/event-stream")) return JSON.parse(body) as JsonRpcResponse;
  for (const event of parseSseBody(body)) {
    // A priming event (SEP-1699: an id and no data) carries no message.
    if (event.event !== "message" || event.data === "") continue;
    const message = JSON.parse(event.data) as JsonRpcResponse;
    if (message.id === id) return message;
  }
  throw new Error(`No answer to request ${id} in the stream: ${body.slice(0, 200)}`);
}
