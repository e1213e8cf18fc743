import { type AppContext, checkReadiness } from "@mcp-tools/core";
import { Hono } from "hono";

const noStore = { "cache-control": "no-store" };

/**
 * `GET /health`: liveness, the process answers; never touches a dependency, so a database outage
 * does not get the process restarted. `GET /ready`: readiness via `checkReadiness`, 503 naming
 * each failed check (and while draining, so load balancers stop sending new sessions); 200 with
 * status "degraded" naming a failed check it serves through (the bus).
 */
export function healthRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }, 200, noStore));
  app.get("/ready", async (c) => {
    const { ready, reasons, degraded } = await checkReadiness(ctx);
    if (ready && degraded.length > 0) return c.json({ status: "degraded", reasons: degraded }, 200, noStore);
    if (ready) return c.json({ status: "ready" }, 200, noStore);
    return c.json({ status: "unavailable", reasons }, 503, noStore);
  });
  return app;
}
