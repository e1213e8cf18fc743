import { type AppContext, type LocalSession, publicSessionId, type RunningService } from "@mcp-tools/core";
import { serveApp } from "@mcp-tools/http";
import { createMcpHttpApp } from "./app.js";
import { logAuthMode } from "./auth.js";
import { createMcpHttpParts, type McpHttpParts } from "./parts.js";

export interface StartOptions {
  /** Defaults to HOST. */
  host?: string;
  /** Defaults to MCP_PORT; 0 picks a free port. */
  port?: number;
}

export interface McpHttpService extends RunningService {
  readonly port: number;
  readonly url: string;
}

/** Serves the MCP HTTP app until `stop()`. */
export async function start(ctx: AppContext, options: StartOptions = {}): Promise<McpHttpService> {
  const { host = ctx.config.HOST, port = ctx.config.MCP_PORT } = options;
  const parts = createMcpHttpParts(ctx);
  const { sessions, cluster, listens } = parts;
  let listeningPort = port;
  const app = createMcpHttpApp(ctx, { parts, host, port: () => listeningPort });
  await cluster.listen();
  const served = await serveApp(app, { host, port }).catch(async (error: unknown) => {
    await cluster.close();
    throw error;
  });
  listeningPort = served.port;
  ctx.log.info({ url: served.url }, "MCP HTTP server listening");
  logAuthMode(ctx.log, ctx.config.MCP_AUTH, served.url);
  const leavePresence = await ctx.presence.register(presenceSource(parts));
  // Draining: take no new connections (a load balancer moves on to another replica) and no new
  // requests for our sessions (404: their clients re-initialize elsewhere); in-flight calls finish.
  ctx.lifecycle.onDraining(() => {
    sessions.stopAccepting();
    served.drain();
  });
  return {
    name: "mcp-sse",
    port: served.port,
    url: served.url,
    async stop() {
      // Stop accepting first, then end the streams, local and relayed, which never finish by
      // themselves and would hold the listener open; their clients reconnect elsewhere.
      await leavePresence();
      const closing = served.close();
      await sessions.closeAll();
      listens.closeAll();
      cluster.endStreams();
      // Requests still come on connections opened before the drain, until each ends (or is cut,
      // 4 s on); one for a session held elsewhere is relayed there: the relay stays until they have.
      await closing;
      await cluster.close();
      ctx.log.info("MCP HTTP server stopped");
    },
  };
}

/**
 * Reports this server's sessions on the presence heartbeat, and closes one an operator ends. The
 * same beat renews what says on the bus that this process holds them: directory entries and places.
 */
function presenceSource({ sessions, directory, limits }: McpHttpParts) {
  const local = (): Array<LocalSession & { sessionId: string }> =>
    sessions.list().map((session) => ({
      sessionId: session.id,
      id: publicSessionId(session.id),
      transport: session.kind,
      principal: session.principalId,
      startedAt: session.startedAt,
      lastActivityAt: session.lastSeen,
      terminable: true,
    }));
  return {
    service: "mcp-sse",
    sessions: () => local().map(({ sessionId: _, ...session }) => session),
    async refresh() {
      await Promise.all([directory.refresh(sessions.list()), limits.quota.refresh()]);
    },
    async terminate(publicId: string) {
      const found = local().find((session) => session.id === publicId);
      return found ? sessions.close(found.sessionId) : false;
    },
  };
}
