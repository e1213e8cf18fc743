import { AppError } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";
import { allowList, loopbackOrigins, type PortSource } from "./loopback.js";

export interface OriginGuardOptions {
  /** The port the server listens on, or a getter when that is only known after listening. */
  port: PortSource;
  /** ALLOWED_ORIGINS: replaces the default, which is the server's own loopback origins. */
  allowedOrigins?: readonly string[] | undefined;
}

/**
 * Refuses a browser request from a foreign origin (403). MCP 2025-11-25 §Transports: servers MUST
 * validate Origin. A request without Origin passes: only browsers send it, and other clients
 * (SDKs, curl, other servers) are not what this protects against.
 */
export function originGuard({ port, allowedOrigins }: OriginGuardOptions): MiddlewareHandler {
  const explicit =
    allowedOrigins && allowedOrigins.length > 0
      ? new Set(allowedOrigins.map((origin) => origin.toLowerCase().replace(/\/$/, "")))
      : undefined;
  const allowed = allowList(explicit, port, loopbackOrigins);

  return function originGuard(c, next) {
    const origin = c.req.header("origin");
    if (origin !== undefined) {
      const list = allowed();
      if (!list.has(origin) && !list.has(origin.toLowerCase())) {
        throw new AppError("FORBIDDEN", `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`);
      }
    }
    return next();
  };
}
