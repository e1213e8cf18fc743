import type { AppContext } from "@mcp-tools/core";
import { Hono } from "hono";

/** `GET /metrics`: the context's Prometheus registry, Node's process metrics included, in the text exposition format. */
export function metricsRoutes(ctx: Pick<AppContext, "metrics">): Hono {
  const { registry } = ctx.metrics;
  ctx.metrics.exposeProcessMetrics();
  const app = new Hono();
  app.get("/metrics", async (c) =>
    c.body(await registry.metrics(), 200, {
      "content-type": registry.contentType,
      "cache-control": "no-store",
    }),
  );
  return app;
}
