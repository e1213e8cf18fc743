/** A port known up front, or read when needed (a server told to listen on port 0 learns it later). */
export type PortSource = number | (() => number);

export const readPort = (port: PortSource): number => (typeof port === "number" ? port : port());

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** `localhost:PORT`, `127.0.0.1:PORT`, `[::1]:PORT`: the Host values a local client sends. */
export function loopbackHosts(port: number): string[] {
  const hosts = LOOPBACK_NAMES.map((name) => `${name}:${port}`);
  // Clients leave the default port out of Host.
  return port === 80 ? [...hosts, ...LOOPBACK_NAMES] : hosts;
}

/** The server's own origins on loopback: a page it serves itself may call it. */
export function loopbackOrigins(port: number): string[] {
  const suffix = port === 80 ? "" : `:${port}`;
  return LOOPBACK_NAMES.map((name) => `http://${name}${suffix}`);
}

/**
 * The allow-list in force: the explicit one when configured, else the loopback defaults for the
 * port, recomputed only when the port changes (it is known only after listening on port 0).
 */
export function allowList(
  explicit: ReadonlySet<string> | undefined,
  port: PortSource,
  defaults: (port: number) => string[],
): () => ReadonlySet<string> {
  if (explicit) return () => explicit;
  let cachedPort = -1;
  let cached: ReadonlySet<string> = new Set();
  return () => {
    const current = readPort(port);
    if (current !== cachedPort) {
      cachedPort = current;
      cached = new Set(defaults(current));
    }
    return cached;
  };
}
