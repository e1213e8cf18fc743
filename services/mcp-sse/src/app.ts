import type { AppContext } from "@mcp-tools/core";
import { createServiceApp, type PortSource } from "@mcp-tools/http";
import type { Hono } from "hono";
import { bearerAuth } from "./auth.js";
import { createSessionCluster, type SessionCluster } from "./cluster.js";
import { rpcErrorBody } from "./json-rpc.js";
import { legacySseRoutes } from "./legacy-sse.js";
import { createEdgeLimits } from "./limits.js";
import { createListenStreams, type ListenStreams } from "./listen-streams.js";
import { createModernHttp } from "./modern.js";
import type { McpEnv } from "./read-body.js";
import type { SessionQuota } from "./session-quota.js";
import { createSessionRegistry, generateSessionId, type SessionRegistry } from "./sessions.js";
import { streamableRoutes } from "./streamable.js";

export interface McpHttpAppOptions {
  /** Where sessions live; pass one to close them all on shutdown (`start` does). */
  sessions?: SessionRegistry;
  /**
   * The other processes serving MCP, for sessions held there; pass the one `sessions` records its
   * sessions in, and start it (`start` does). Without one, sessions held elsewhere are not found.
   */
  cluster?: SessionCluster;
  /** Where `subscriptions/listen` streams are kept; pass one to end them all on shutdown (`start` does). */
  listens?: ListenStreams;
  /** Open sessions per caller; pass the one `sessions` gives places back to, and start it (`start` does). */
  quota?: SessionQuota;
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
  const cluster = options.cluster ?? createSessionCluster(ctx);
  const limits = createEdgeLimits(ctx, { quota: options.quota });
  const sessions =
    options.sessions ??
    createSessionRegistry({
      idleTimeoutMs: config.SESSION_IDLE_TIMEOUT_MS,
      metrics: ctx.metrics,
      directory: cluster.directory,
      quota: limits.quota,
    });
  const routeOptions = {
    sessions,
    modern: createModernHttp(ctx, limits, options.listens ?? createListenStreams()),
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
