import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * The address a request came from, for the sign-in attempt limit. A peer on loopback or a
 * private network is taken to be our own reverse proxy, and the last X-Forwarded-For entry (the
 * one that proxy appended, which a client cannot forge) is used instead: otherwise every person
 * behind the proxy would share one limit, and a few bad guesses would lock everyone out.
 */
export function clientAddress(c: Context): string {
  const peer = peerAddress(c);
  if (!peer || !isProxyAddress(peer)) return peer ?? "unknown";
  const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded || peer;
}

// `app.request()` in tests has no socket.
function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

function isProxyAddress(address: string): boolean {
  const ip = address.replace(/^::ffff:/, "");
  return (
    ip === "::1" ||
    /^127\./.test(ip) ||
    /^10\./.test(ip) ||
    /^192\.168\./.test(ip) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(ip) ||
    /^f[cd][0-9a-f]{2}:/i.test(ip)
  );
}
