import type { AppContext } from "@mcp-tools/core";
import { createSessionCluster, type SessionCluster } from "./cluster/cluster.js";
import { createSessionDirectory, type SessionDirectory } from "./cluster/directory.js";
import { createEdgeLimits, type EdgeLimits } from "./limits.js";
import { createListenStreams, type ListenStreams } from "./listen-streams.js";
import { relayHandlers } from "./relayed.js";
import { createSessionRegistry, type SessionRegistry } from "./sessions.js";

/** What the MCP HTTP app keeps between requests; `start` holds it to renew and end it. */
export interface McpHttpParts {
  readonly limits: EdgeLimits;
  /** Which process holds which session, on the bus; the registry records its sessions there. */
  readonly directory: SessionDirectory;
  readonly sessions: SessionRegistry;
  /** The other processes serving MCP, for sessions held there. */
  readonly cluster: SessionCluster;
  readonly listens: ListenStreams;
}

/**
 * Builds the parts in the one order their dependencies allow: each gets what it uses at
 * construction, so nothing registers itself with another later and no two refer to each other.
 */
export function createMcpHttpParts(ctx: AppContext): McpHttpParts {
  const { config } = ctx;
  const limits = createEdgeLimits(ctx);
  const directory = createSessionDirectory({ bus: ctx.bus, processId: ctx.presence.processId, log: ctx.log });
  const sessions = createSessionRegistry({
    idleTimeoutMs: config.SESSION_IDLE_TIMEOUT_MS,
    metrics: ctx.metrics,
    directory,
    quota: limits.quota,
  });
  const cluster = createSessionCluster(ctx, { directory, handlers: relayHandlers(sessions, limits) });
  return { limits, directory, sessions, cluster, listens: createListenStreams() };
}
