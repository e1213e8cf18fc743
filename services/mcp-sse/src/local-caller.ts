import type { IncomingHttpHeaders } from "node:http";
import { isLoopbackAddress } from "@mcp-tools/core";
import type { Context } from "hono";
import type { McpEnv } from "./read-body.js";

/**
 * Whether a request really comes from this machine: its TCP peer is a loopback address and it
 * carries no header a proxy adds. A proxy on the same host (nginx in front of the replicas) is a
 * loopback peer too, but it forwards clients from anywhere and says so in these headers. A request
 * with no socket (`app.request()` in tests) is not local: nothing proves where it came from.
 */
export function isLocalCaller(c: Context<McpEnv>): boolean {
  const incoming = c.env?.incoming;
  const peer = incoming?.socket.remoteAddress;
  return (
    incoming !== undefined &&
    peer !== undefined &&
    isLoopbackAddress(peer) &&
    !hasProxyHeader(incoming.headers)
  );
}

// Forwarded (RFC 7239), Via (RFC 9110), the de-facto X-Forwarded-* family and nginx's X-Real-IP.
function hasProxyHeader(headers: IncomingHttpHeaders): boolean {
  for (const name in headers) {
    if (name === "forwarded" || name === "via" || name === "x-real-ip" || name.startsWith("x-forwarded-"))
      return true;
  }
  return false;
}
