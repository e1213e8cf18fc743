import type { AppContext } from "@mcp-tools/core";
import {
  errorHandler,
  healthRoutes,
  hostGuard,
  metricsRoutes,
  notFoundHandler,
  originGuard,
  type PortSource,
} from "@mcp-tools/http";
import { Hono } from "hono";
import { toolRoutes } from "./routes/tools.js";

export interface AdminAppOptions {
  /** The port actually listened on, when it is only known after listening (port 0 in tests). */
  port?: PortSource;
}

/** The admin service on ADMIN_PORT: health, metrics and, for now, a read-only list of the tools. */
export function createAdminApp(
  ctx: AppContext,
  { port = ctx.config.ADMIN_PORT }: AdminAppOptions = {},
): Hono {
  const { config } = ctx;
  const app = new Hono();
  app.onError(errorHandler({ log: ctx.log }));
  app.notFound(notFoundHandler());
  app.use(hostGuard({ bindHost: config.HOST, port, allowedHosts: config.ALLOWED_HOSTS }));
  app.use(originGuard({ port, allowedOrigins: config.ALLOWED_ORIGINS }));
  app.route("/", healthRoutes(ctx));
  app.route("/", metricsRoutes(ctx));
  app.route("/api/tools", toolRoutes(ctx));
  return app;
}
