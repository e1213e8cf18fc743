import { AppError, isLoopbackHost } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";
import { allowList, loopbackHosts, type PortSource } from "./loopback.js";

export interface HostGuardOptions {
  /** The interface the server binds to (HOST). */
  bindHost: string;
  /** The port it listens on (MCP_PORT, ADMIN_PORT), or a getter when that is only known after listening. */
  port: PortSource;
  /**
   * ALLOWED_HOSTS: replaces the loopback defaults and applies on any interface. An entry with a port
   * must match exactly; an entry without one matches that name on any port.
   */
  allowedHosts?: readonly string[] | undefined;
}

/**
 * Refuses a request whose Host is not one of ours (403), against DNS rebinding: a page on
 * attacker.example that resolves to 127.0.0.1 reaches a local server with a foreign Host.
 * Checked only when bound to loopback unless `allowedHosts` is given: behind a load balancer the
 * Host is whatever name the operator chose, and only they can list it.
 */
export function hostGuard({ bindHost, port, allowedHosts }: HostGuardOptions): MiddlewareHandler {
  const explicit = allowedHosts && allowedHosts.length > 0 ? lowerSet(allowedHosts) : undefined;
  if (!explicit && !isLoopbackHost(bindHost)) {
    return function hostGuard(_c, next) {
      return next();
    };
  }
  const allowed = allowList(explicit, port, loopbackHosts);

  return function hostGuard(c, next) {
    const host = c.req.header("host") ?? hostOfUrl(c.req.url);
    const list = allowed();
    if (!list.has(host) && !matchesLoosely(list, host, explicit !== undefined)) {
      throw new AppError("FORBIDDEN", `Forbidden: Host ${JSON.stringify(host)} is not allowed`);
    }
    return next();
  };
}

// The slow path, only for a Host that missed the exact lookup: case, and explicit names without a port.
function matchesLoosely(list: ReadonlySet<string>, host: string, explicit: boolean): boolean {
  const lower = host.toLowerCase();
  if (list.has(lower)) return true;
  if (!explicit) return false;
  const portAt = lower.lastIndexOf(":");
  return portAt > lower.lastIndexOf("]") && list.has(lower.slice(0, portAt));
}

const lowerSet = (items: readonly string[]) => new Set(items.map((item) => item.toLowerCase()));

// `app.request()` builds requests without a Host header; the URL carries it instead.
function hostOfUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}
