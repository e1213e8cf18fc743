import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, getDashboard } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { json, unauthorized } from "./responses.js";

const count = z.number().int();
const Dashboard = z.object({
  checks: z.array(
    z.object({
      name: z.enum(["database", "bus", "migrations"]),
      ok: z.boolean(),
      latencyMs: z.number(),
      problem: z.string().optional(),
    }),
  ),
  processes: z.array(
    z.object({
      id: z.string(),
      pid: count,
      host: z.string(),
      services: z.array(z.string()),
      startedAt: z.string().openapi({ format: "date-time" }),
      lastBeat: z.string().openapi({ format: "date-time" }),
      sessions: z.record(z.string(), count).openapi({ description: "Open sessions by transport" }),
      audit: z.object({ depth: count, dropped: count }),
    }),
  ),
  sessions: z.record(z.string(), count).openapi({ description: "Open sessions by transport, all processes" }),
  calls: z
    .object({
      minutes: z.array(
        z.object({ minute: z.string().openapi({ format: "date-time" }), calls: count, errors: count }),
      ),
      calls: count,
      errors: count,
      errorRate: z.number(),
    })
    .nullable()
    .openapi({ description: "Per minute over the last 15 minutes; null when the database did not answer" }),
  audit: z.object({ depth: count, dropped: count }).openapi({ description: "Audit queues, summed" }),
});

const route = createRoute({
  method: "get",
  path: "/",
  summary: "Health of the database and bus, processes online, sessions, call rates, audit queues",
  description:
    "`checks` (name, ok, latencyMs, problem), `processes` (each process's presence record without " +
    "its session list), `sessions` (open sessions by transport, all processes), `calls` (per minute " +
    "over the last 15 minutes, with errors and errorRate; null when the database did not answer), " +
    "`audit` (queue depth and dropped records, summed).",
  responses: { 200: json(Dashboard, "OK"), ...unauthorized },
});

/** GET /api/dashboard: the dashboard's figures as JSON; each process without its session list. */
export function dashboardApi(ctx: AppContext, { now }: { now?: () => Date } = {}): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(route, async (c) => {
    const dashboard = await getDashboard(ctx, { now });
    const processes = dashboard.processes.map(({ activeSessions: _, ...process }) => process);
    return c.json({ ...dashboard, processes }, 200);
  });
  return app;
}
