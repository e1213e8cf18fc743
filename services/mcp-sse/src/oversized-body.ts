import type { IncomingMessage } from "node:http";
import { RpcCode, rpcError } from "./json-rpc.js";

/**
 * The 413 for a body over `maxBytes`, answered so that every client can read it. A client still
 * uploading when the server closes the connection sees a broken pipe instead of the answer (Node's
 * fetch does, where curl happens not to), so the rest of the body is read and thrown away before
 * the connection can close — up to four times the limit. Past that the connection is cut: a client
 * sending that much more after a refusal gets no more of our bandwidth. Without a socket
 * (`app.request()`) there is nothing to drain.
 */
export function refuseOversizedBody(
  incoming: IncomingMessage | undefined,
  maxBytes: number,
  declaredBytes = 0,
): Response {
  const discardBytes = 4 * maxBytes;
  if (!incoming || declaredBytes > maxBytes + discardBytes)
    return tooLarge(maxBytes, { connection: "close" });
  discardRest(incoming, discardBytes);
  return tooLarge(maxBytes);
}

const tooLarge = (maxBytes: number, headers?: Record<string, string>) =>
  rpcError(
    413,
    RpcCode.serverError,
    `Payload Too Large: request body must not exceed ${maxBytes} bytes`,
    headers,
  );

function discardRest(incoming: IncomingMessage, discardBytes: number) {
  if (incoming.readableEnded) return;
  let discarded = 0;
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded <= discardBytes) return;
    incoming.off("data", onData);
    incoming.socket.destroy();
  };
  incoming.on("data", onData);
  incoming.once("end", () => incoming.off("data", onData));
  incoming.resume();
}
