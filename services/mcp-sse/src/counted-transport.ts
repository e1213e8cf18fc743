import {
  WebStandardStreamableHTTPServerTransport,
  type WebStandardStreamableHTTPServerTransportOptions,
} from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { SessionCalls } from "./in-flight.js";

/**
 * The SDK's Streamable HTTP server transport, telling the session's calls in flight of each
 * answer it sends: the one place every answer passes, whichever stream it goes out on.
 */
export class CountedStreamableTransport extends WebStandardStreamableHTTPServerTransport {
  readonly #calls: Pick<SessionCalls, "settle">;

  constructor(options: WebStandardStreamableHTTPServerTransportOptions, calls: Pick<SessionCalls, "settle">) {
    super(options);
    this.#calls = calls;
  }

  override send(message: JSONRPCMessage, options?: { relatedRequestId?: RequestId }): Promise<void> {
    if ("id" in message && !("method" in message)) this.#calls.settle(message.id);
    return super.send(message, options);
  }
}
