import type { AppContext } from "@mcp-tools/core";
import { Hono } from "hono";

/** `GET /metrics`: the context's Prometheus registry, Node's process metrics included, in the text exposition format. */
export function metricsRoutes(ctx: Pick<AppContext, "metrics">): Hono {
  const { registry } = ctx.metrics;
  // Loads and starts them now; the first scrape waits for them if it comes sooner.
  const processMetrics = ctx.metrics.exposeProcessMetrics();
  const app = new Hono();
  app.get("/metrics", async (c) => {
    await processMetrics;
    return c.body(await registry.metrics(), 200, {
      "content-type": registry.contentType,
      "cache-control": "no-store",
    });
  });
  return app;
}
