import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import type { SessionCalls } from "./in-flight.js";
import { KEEP_ALIVE_FRAME, sseEvent } from "./sse-frames.js";
import type { BoundedStream, StreamBuffers } from "./stream-buffer.js";

export interface SseServerTransportOptions {
  sessionId: string;
  /** Where the client posts its messages: the data of the first event. */
  endpoint: string;
  /** Interval of `: keepalive` comments, so proxies and idle timeouts leave the stream open. */
  keepAliveMs: number;
  /** Bounds what may wait for a client that stops reading; cut off, the session ends. */
  buffers: Pick<StreamBuffers, "open">;
  /** The connection the stream goes out on, ended if the client stops reading. */
  connection?: { destroy(): void } | undefined;
  /** Told of each answer sent, so that its request no longer counts as in flight. */
  calls?: Pick<SessionCalls, "settle">;
}

/**
 * The server side of the legacy HTTP+SSE transport (MCP 2024-11-05) on web streams. `stream` is
 * the body of the `GET /sse` response: an `endpoint` event, then one `message` event per JSON-RPC
 * message. Messages the client POSTs arrive through `handleMessage`. The SDK's SSEServerTransport
 * writes to Node's ServerResponse, which a Hono handler does not have.
 */
export class SseServerTransport implements Transport {
  readonly sessionId: string;
  readonly stream: ReadableStream<Uint8Array>;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage, extra?: MessageExtraInfo) => void) | undefined;

  #out: BoundedStream;
  #calls: Pick<SessionCalls, "settle"> | undefined;
  #keepAliveMs: number;
  #keepAlive: NodeJS.Timeout | undefined;
  #started = false;
  #closed = false;

  constructor({ sessionId, endpoint, keepAliveMs, buffers, connection, calls }: SseServerTransportOptions) {
    this.sessionId = sessionId;
    this.#calls = calls;
    this.#keepAliveMs = keepAliveMs;
    this.#out = buffers.open({
      transport: "sse",
      sessionId,
      connection,
      // The client went away, or stopped reading: the session ends with its stream.
      onEnd: (how) => {
        if (how !== "closed") void this.close();
      },
    });
    this.stream = this.#out.stream;
    this.#out.write(sseEvent("endpoint", endpoint));
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error("SseServerTransport already started");
    this.#started = true;
    this.#keepAlive = setInterval(() => this.#out.write(KEEP_ALIVE_FRAME), this.#keepAliveMs);
    this.#keepAlive.unref();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error("Not connected");
    if ("id" in message && !("method" in message)) this.#calls?.settle(message.id);
    this.#out.write(sseEvent("message", JSON.stringify(message)));
  }

  /** Hands a message the client POSTed to `/messages` to the server. */
  handleMessage(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.#out.close();
    this.onclose?.();
  }
}
