import type { AppContext } from "@mcp-tools/core";
import { createServiceApp, type PortSource } from "@mcp-tools/http";
import type { Hono } from "hono";
import { bearerAuth } from "./auth.js";
import { rpcErrorBody } from "./json-rpc.js";
import { legacySseRoutes } from "./legacy-sse.js";
import { createModernHttp } from "./modern.js";
import { createMcpHttpParts, type McpHttpParts } from "./parts.js";
import type { McpEnv } from "./read-body.js";
import { generateSessionId } from "./sessions.js";
import { streamableRoutes } from "./streamable.js";

export interface McpHttpAppOptions {
  /** What the app keeps between requests; pass it to renew and end it (`start` does). */
  parts?: McpHttpParts;
  /** The interface served on (default HOST): on loopback, Host is checked against DNS rebinding. */
  host?: string;
  /** The port served on (default MCP_PORT), for the loopback allow-lists; a getter when listening on port 0. */
  port?: PortSource;
  generateSessionId?: () => string;
}

/**
 * The MCP HTTP app: Streamable HTTP at `/mcp`, legacy HTTP+SSE at `/sse` + `/messages`, and
 * `/health`, `/ready`, `/metrics`. Pure: it never listens, reads the environment or handles signals.
 */
export function createMcpHttpApp(ctx: AppContext, options: McpHttpAppOptions = {}): Hono<McpEnv> {
  const { config } = ctx;
  const port = options.port ?? config.MCP_PORT;
  const { sessions, cluster, limits, listens } = options.parts ?? createMcpHttpParts(ctx);
  const routeOptions = {
    sessions,
    modern: createModernHttp(ctx, limits, listens),
    cluster,
    generateSessionId: options.generateSessionId ?? generateSessionId,
    limits,
  };

  // JSON-RPC error bodies even for a guard's 403: every client of this port speaks JSON-RPC.
  const app = createServiceApp<McpEnv>(ctx, { host: options.host, port, errorBody: rpcErrorBody });
  // /health, /ready and /metrics stay open: probes and scrapers carry no key.
  const auth = bearerAuth({ keys: ctx.keys, mode: config.MCP_AUTH });
  for (const path of ["/mcp", "/sse", "/messages"]) app.use(path, auth);
  app.route("/", streamableRoutes(ctx, routeOptions));
  app.route("/", legacySseRoutes(ctx, routeOptions));
  return app;
}
