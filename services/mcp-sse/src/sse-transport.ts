import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";

const encoder = new TextEncoder();
const keepAliveFrame = encoder.encode(": keepalive\n\n");

export interface SseServerTransportOptions {
  sessionId: string;
  /** Where the client posts its messages: the data of the first event. */
  endpoint: string;
  /** Interval of `: keepalive` comments, so proxies and idle timeouts leave the stream open. */
  keepAliveMs: number;
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

  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #keepAliveMs: number;
  #keepAlive: NodeJS.Timeout | undefined;
  #started = false;
  #closed = false;

  constructor({ sessionId, endpoint, keepAliveMs }: SseServerTransportOptions) {
    this.sessionId = sessionId;
    this.#keepAliveMs = keepAliveMs;
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        controller.enqueue(encoder.encode(`event: endpoint\ndata: ${endpoint}\n\n`));
      },
      // The client went away: the session ends with its stream.
      cancel: () => this.close(),
    });
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error("SseServerTransport already started");
    this.#started = true;
    this.#keepAlive = setInterval(() => this.#write(keepAliveFrame), this.#keepAliveMs);
    this.#keepAlive.unref();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error("Not connected");
    this.#write(encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`));
  }

  /** Hands a message the client POSTed to `/messages` to the server. */
  handleMessage(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    try {
      this.#controller?.close();
    } catch {
      // Already closed: the client cancelled the stream.
    }
    this.onclose?.();
  }

  #write(frame: Uint8Array) {
    try {
      this.#controller?.enqueue(frame);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      void this.close();
    }
  }
}
