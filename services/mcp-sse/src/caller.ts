import type { IncomingMessage } from "node:http";
import type { Principal } from "@mcp-tools/core";

/**
 * Whom a limit per caller counts against: the API key, or for a keyless caller its peer address,
 * taken from the connection and never from a header a client could set. `app.request()` has no
 * connection: its keyless callers share one place.
 */
export function callerOf(principal: Principal, incoming: IncomingMessage | undefined): string {
  if (principal.kind === "key") return principal.id;
  return `addr:${incoming?.socket.remoteAddress ?? "unknown"}`;
}
