import type { AppContext } from "@mcp-tools/core";
import { type Env, Hono, type MiddlewareHandler } from "hono";
import { healthRoutes } from "./health.js";
import { hostGuard } from "./host-guard.js";
import type { PortSource } from "./loopback.js";
import { metricsRoutes } from "./metrics.js";
import { type ErrorBodyFormatter, errorHandler, notFoundHandler } from "./on-error.js";
import { originGuard } from "./origin-guard.js";

export interface ServiceAppOptions<E extends Env = Env> {
  /** The interface bound (defaults to HOST): the Host check applies only on loopback. */
  host?: string;
  /** The port served on, for the loopback allow-lists; a getter when listening on port 0. */
  port: PortSource;
  /** How errors are shaped for this service's clients (JSON-RPC on the MCP port). */
  errorBody?: ErrorBodyFormatter;
  /** Middleware run before everything else, so it also sees guard refusals and health answers. */
  first?: MiddlewareHandler<E>[];
}

/**
 * What every HTTP service of ours starts from: typed error answers, the Host and Origin guards
 * (MCP 2025-11-25 §Security Warning: DNS rebinding), and `/health`, `/ready` (open to any Host),
 * `/metrics`.
 */
export function createServiceApp<E extends Env = Env>(
  ctx: AppContext,
  { host = ctx.config.HOST, port, errorBody, first = [] }: ServiceAppOptions<E>,
): Hono<E> {
  const { config } = ctx;
  const app = new Hono<E>();
  app.onError(errorHandler({ log: ctx.log, body: errorBody }));
  app.notFound(notFoundHandler({ body: errorBody }));
  for (const middleware of first) app.use(middleware);
  // Before the guards: probes address a pod or container by IP, whatever ALLOWED_HOSTS says, and
  // a status answer is worth nothing to a rebinding attack.
  app.route("/", healthRoutes(ctx));
  app.use(hostGuard({ bindHost: host, port, allowedHosts: config.ALLOWED_HOSTS }));
  app.use(originGuard({ port, allowedOrigins: config.ALLOWED_ORIGINS }));
  app.route("/", metricsRoutes(ctx));
  return app;
}
