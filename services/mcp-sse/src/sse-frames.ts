// What every SSE stream this service sends is made of: /sse sessions and 2026-07-28 listen streams.

const encoder = new TextEncoder();

/** Response headers of an SSE stream. */
export const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // nginx buffers responses by default, which would hold events back (MCP 2026-07-28 asks for it too).
  "x-accel-buffering": "no",
};

/** A comment line, sent so that proxies and idle timeouts leave a quiet stream open. */
export const KEEP_ALIVE_FRAME = encoder.encode(": keepalive\n\n");

/** One SSE event; `message` events carry a JSON-RPC message. */
export const sseEvent = (event: string, data: string): Uint8Array =>
  encoder.encode(`event: ${event}\ndata: ${data}\n\n`);
