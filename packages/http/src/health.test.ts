import { type AppContext, createLogger } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthRoutes } from "./health.js";
import { metricsRoutes } from "./metrics.js";

let ctx: AppContext;
let app: Hono;

beforeAll(async () => {
  ctx = await createTestContext();
  app = new Hono().route("/", healthRoutes(ctx)).route("/", metricsRoutes(ctx));
});
afterAll(() => ctx.close());

describe("health routes", () => {
  it("GET /health answers 200 ok without touching dependencies", async () => {
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /ready answers 200 when the database and bus answer", async () => {
    const res = await app.request("/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });

  it("GET /ready answers 503 naming the failed dependency, not its error, which goes to the log once", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger({
      level: "info",
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const secret = 'password authentication failed for user "ops" at db-7.internal:5432';
    const broken = {
      ...ctx,
      log,
      db: { ...ctx.db, ping: () => Promise.reject(new Error(secret)) },
    };
    const routes = new Hono().route("/", healthRoutes(broken));
    for (let probe = 0; probe < 3; probe++) {
      const res = await routes.request("/ready");
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ status: "unavailable", reasons: ["database: not answering"] });
      expect(text).not.toContain("ops");
    }
    const failures = lines.filter((line) => line.msg === "readiness check failed");
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(failures[0])).toContain(secret.replaceAll('"', '\\"'));
  });

  it("GET /ready stays 200 but says degraded when the bus fails: replicas serve their own sessions", async () => {
    const broken = {
      ...ctx,
      bus: { ...ctx.bus, ping: () => Promise.reject(new Error("connection refused")) },
    };
    const res = await new Hono().route("/", healthRoutes(broken)).request("/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "degraded", reasons: ["bus: not answering"] });
  });

  it("GET /ready answers 503 while draining, GET /health still 200", async () => {
    const draining = { ...ctx, lifecycle: { ...ctx.lifecycle, draining: true } };
    const drainingApp = new Hono().route("/", healthRoutes(draining));
    const ready = await drainingApp.request("/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", reasons: ["draining: shutting down"] });
    expect((await drainingApp.request("/health")).status).toBe(200);
  });
});

describe("metrics route", () => {
  it("GET /metrics serves the registry in the Prometheus text format", async () => {
    ctx.metrics.sessionsActive.set({ transport: "sse" }, 3);
    const res = await app.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(ctx.metrics.registry.contentType);
    const text = await res.text();
    expect(text).toContain("# TYPE mcp_sessions_active gauge");
    expect(text).toContain('mcp_sessions_active{transport="sse"} 3');
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
  });
});
