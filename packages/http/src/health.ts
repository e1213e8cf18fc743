import { type AppContext, checkReadiness, type DependencyCheck } from "@mcp-tools/core";
import { Hono } from "hono";

const noStore = { "cache-control": "no-store" };

/**
 * `GET /health`: liveness, the process answers; never touches a dependency, so a database outage
 * does not get the process restarted. `GET /ready`: readiness via `checkReadiness`, 503 naming
 * each failed check (and while draining, so load balancers stop sending new sessions); 200 with
 * status "degraded" naming a failed check it serves through (the bus). The answer names what
 * failed; the error behind it goes to the log, once when a check starts failing and once when it
 * recovers, however often probes ask.
 */
export function healthRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const logChanges = createFailureLog(ctx.log);
  app.get("/health", (c) => c.json({ status: "ok" }, 200, noStore));
  app.get("/ready", async (c) => {
    const { ready, reasons, degraded, failed } = await checkReadiness(ctx);
    if (!ctx.lifecycle.draining) logChanges(failed);
    if (ready && degraded.length > 0) return c.json({ status: "degraded", reasons: degraded }, 200, noStore);
    if (ready) return c.json({ status: "ready" }, 200, noStore);
    return c.json({ status: "unavailable", reasons }, 503, noStore);
  });
  return app;
}

function createFailureLog(log: AppContext["log"]) {
  let failing = new Map<DependencyCheck["name"], string | undefined>();
  return (failed: DependencyCheck[]) => {
    const now = new Map(failed.map((check) => [check.name, check.problem]));
    for (const check of failed) {
      if (failing.get(check.name) === check.problem) continue;
      log.warn({ check: check.name, problem: check.problem, err: check.error }, "readiness check failed");
    }
    for (const name of failing.keys())
      if (!now.has(name)) log.info({ check: name }, "readiness check passes again");
    failing = now;
  };
}
