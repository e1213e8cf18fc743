import { type AppContext, checkReadiness } from "@mcp-tools/core";
import { Hono } from "hono";

const noStore = { "cache-control": "no-store" };

/**
 * `GET /health`: liveness, the process answers; never touches a dependency, so a database outage
 * does not get the process restarted. `GET /ready`: readiness via `checkReadiness`, 503 naming
 * each failed check (and while draining, so load balancers stop sending new sessions).
 */
export function healthRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }, 200, noStore));
  app.get("/ready", async (c) => {
    const { ready, reasons } = await checkReadiness(ctx);
    if (ready) return c.json({ status: "ready" }, 200, noStore);
    return c.json({ status: "unavailable", reasons }, 503, noStore);
  });
  return app;
}
