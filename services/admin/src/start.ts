import { type AppContext, bootstrapAdmin, type RunningService, startAuditRetention } from "@mcp-tools/core";
import { serveApp } from "@mcp-tools/http";
import { createAdminApp } from "./app.js";

export interface AdminStartOptions {
  host?: string;
  port?: number;
}

export interface AdminService extends RunningService {
  readonly port: number;
  readonly url: string;
}

/** Listens on ADMIN_PORT (or the given port; 0 picks a free one) and creates the first admin if there is none. */
export async function start(ctx: AppContext, options: AdminStartOptions = {}): Promise<AdminService> {
  const host = options.host ?? ctx.config.HOST;
  let port = options.port ?? ctx.config.ADMIN_PORT;
  const app = createAdminApp(ctx, { host, port: () => port });
  const served = await serveApp(app, { host, port });
  port = served.port;
  ctx.log.info({ url: served.url }, "admin service listening");
  // After listening, so a setup link in the log names the port actually served.
  await bootstrapAdmin(ctx, { port }).catch(async (error: unknown) => {
    await served.close();
    throw new Error("Could not create the first admin user", { cause: error });
  });
  // PostgreSQL's audit trail is pruned by the admin service: every deployment shape runs exactly
  // one kind of it. An embedded database is pruned by the process holding it (see runService).
  const retention =
    ctx.db.kind === "postgres"
      ? startAuditRetention({
          db: ctx.db.db,
          log: ctx.log,
          retentionDays: ctx.config.AUDIT_RETENTION_DAYS,
        })
      : undefined;
  const leavePresence = await ctx.presence.register({ service: "admin" });
  // No new connections from here on; requests already on their way are answered (ServedApp.drain).
  ctx.lifecycle.onDraining(() => served.drain());
  return {
    name: "admin",
    port,
    url: served.url,
    async stop() {
      await leavePresence();
      await retention?.stop();
      await served.close();
    },
  };
}
