import { BlockList, isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** What the admin service believes about a request's client, given whose proxy headers count. */
export interface ProxyTrust {
  /** The client's address, for the sign-in limits; "unknown" without a socket (in-process requests). */
  clientIp(c: Context): string;
  /** Whether the browser reached us over https, directly or through a listed TLS proxy. */
  isHttps(c: Context): boolean;
}

/**
 * X-Forwarded-For and X-Forwarded-Proto count only from a peer in `trusted` (TRUSTED_PROXIES):
 * anyone else can write them. From a listed proxy, the client is the rightmost address that no
 * listed proxy added (walking back through a chain of them); an entry that is not an address
 * stops the walk at the last one known good.
 */
export function createProxyTrust(trusted: readonly string[]): ProxyTrust {
  const list = new BlockList();
  for (const entry of trusted) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  const listed = (address: string) =>
    trusted.length > 0 && isIP(address) > 0 && list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");

  const trustedPeer = (c: Context) => {
    const peer = peerAddress(c);
    return peer !== undefined && listed(peer) ? peer : undefined;
  };

  return {
    clientIp(c) {
      const peer = peerAddress(c);
      if (peer === undefined) return "unknown";
      if (!listed(peer)) return peer;
      const hops = (c.req.header("x-forwarded-for") ?? "").split(",").map((hop) => plain(hop.trim()));
      let client = peer;
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i] ?? "";
        if (!isIP(hop)) break;
        client = hop;
        if (!listed(hop)) break;
      }
      return client;
    },
    isHttps(c) {
      if (new URL(c.req.url).protocol === "https:") return true;
      if (!trustedPeer(c)) return false;
      // A proxy that appends rather than replaces puts its own value last.
      const proto = c.req.header("x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase();
      return proto === "https";
    },
  };
}

// `app.request()` in tests has no socket.
function peerAddress(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? plain(address) : undefined;
  } catch {
    return undefined;
  }
}

// An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; the lists name it a.b.c.d.
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
