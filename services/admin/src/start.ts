import type { AppContext, RunningService } from "@mcp-tools/core";
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

/** Listens on ADMIN_PORT (or the given port; 0 picks a free one). */
export async function start(ctx: AppContext, options: AdminStartOptions = {}): Promise<AdminService> {
  const host = options.host ?? ctx.config.HOST;
  let port = options.port ?? ctx.config.ADMIN_PORT;
  const app = createAdminApp(ctx, { host, port: () => port });
  const served = await serveApp(app, { host, port });
  port = served.port;
  ctx.log.info({ url: served.url }, "admin service listening");
  return { name: "admin", port, url: served.url, stop: () => served.close() };
}
