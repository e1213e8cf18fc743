import { type AppContext, getDashboard } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";

/** GET /api/dashboard: the dashboard's figures as JSON; each process without its session list. */
export function dashboardApi(ctx: AppContext, { now }: { now?: () => Date } = {}): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", async (c) => {
    const dashboard = await getDashboard(ctx, { now });
    const processes = dashboard.processes.map(({ activeSessions: _, ...process }) => process);
    return c.json({ ...dashboard, processes });
  });
  return app;
}
