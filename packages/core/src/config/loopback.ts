/** Whether `host` (an interface to bind) only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return name === "localhost" || name === "::1" || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * Whether a connection's peer address is this machine: 127.0.0.0/8 or ::1, also as an IPv4-mapped
 * IPv6 address (how a dual-stack listener reports IPv4 peers).
 */
export function isLoopbackAddress(address: string): boolean {
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address;
  return ip === "::1" || /^127(\.\d{1,3}){3}$/.test(ip);
}
