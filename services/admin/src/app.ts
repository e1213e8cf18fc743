import type { AppContext } from "@mcp-tools/core";
import { createServiceApp, type PortSource } from "@mcp-tools/http";
import type { Hono } from "hono";
import { toolRoutes } from "./routes/tools.js";

export interface AdminAppOptions {
  /** The interface bound, when not HOST. */
  host?: string;
  /** The port actually listened on, when it is only known after listening (port 0 in tests). */
  port?: PortSource;
}

/** The admin service on ADMIN_PORT: health, metrics and, for now, a read-only list of the tools. */
export function createAdminApp(
  ctx: AppContext,
  { host, port = ctx.config.ADMIN_PORT }: AdminAppOptions = {},
): Hono {
  const app = createServiceApp(ctx, { host, port });
  app.route("/api/tools", toolRoutes(ctx));
  return app;
}
