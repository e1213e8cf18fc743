import { type AppContext, getDashboard } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { DashboardPage } from "./dashboard-view.js";

/** GET /: the landing page after sign-in; the same figures as GET /api/dashboard. */
export function dashboardPages(ctx: AppContext, { now = () => new Date() }: { now?: () => Date } = {}) {
  const app = new Hono<AdminEnv>();
  app.get("/", async (c) => {
    const dashboard = await getDashboard(ctx, { now });
    return c.html(<DashboardPage session={c.get("session")} dashboard={dashboard} now={now()} />);
  });
  return app;
}
