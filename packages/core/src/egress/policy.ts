import ipaddr from "ipaddr.js";

/**
 * Which addresses a tool may connect to. Only public unicast addresses, unless the operator's
 * allow-list (EGRESS_ALLOW) names the host or a range holding the address: loopback, private,
 * link-local (cloud metadata at 169.254.169.254 among them), unique-local, carrier-grade NAT and
 * reserved ranges would turn a tool into a way into the server's own network.
 */
export interface EgressPolicy {
  /** Why a connection to `address` (which `host` resolved to) is refused; undefined when it is not. */
  refusal(host: string, address: string): string | undefined;
}

/** `allow`: host names (exact, any case) and addresses or CIDR ranges, IPv4 or IPv6. */
export function createEgressPolicy(allow: readonly string[] = []): EgressPolicy {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of allow) {
    const text = entry.trim().toLowerCase();
    if (text === "") continue;
    if (text.includes("/")) ranges.push(ipaddr.parseCIDR(text));
    else if (ipaddr.isValid(text))
      ranges.push([ipaddr.parse(text), ipaddr.parse(text).kind() === "ipv4" ? 32 : 128]);
    else hosts.add(text);
  }
  return {
    refusal(host, address) {
      const parsed = parseAddress(address);
      if (!parsed) return `${address} is not an IP address`;
      if (hosts.has(unbracket(host).toLowerCase())) return undefined;
      if (ranges.some(([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits)))
        return undefined;
      const range = parsed.range();
      if (range === "unicast") return undefined;
      return `${describeHost(host, address)} is a ${RANGE_NAMES[range] ?? range} address, which tools may not reach unless EGRESS_ALLOW names it`;
    },
  };
}

/** An address as ipaddr.js reads it; an IPv4-mapped IPv6 address (::ffff:10.0.0.1) as the IPv4 it is. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const text = unbracket(address);
  return ipaddr.isValid(text) ? ipaddr.process(text) : undefined;
}

export const unbracket = (host: string) =>
  host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;

const describeHost = (host: string, address: string) =>
  unbracket(host) === unbracket(address) ? address : `${host} (${address})`;

const RANGE_NAMES: Record<string, string> = {
  loopback: "loopback",
  private: "private",
  linkLocal: "link-local",
  uniqueLocal: "unique-local",
  unspecified: "unspecified",
  carrierGradeNat: "carrier-grade NAT",
  broadcast: "broadcast",
  multicast: "multicast",
  reserved: "reserved",
  rfc6052: "NAT64",
  "6to4": "6to4",
  teredo: "Teredo",
};
