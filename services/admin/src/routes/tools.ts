import type { AppContext } from "@mcp-tools/core";
import { Hono } from "hono";

/** `GET /api/tools`: every tool with its schemas and annotations, as MCP clients see them. */
export function toolRoutes(ctx: Pick<AppContext, "tools">): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json({ tools: ctx.tools.descriptors() }));
  return app;
}
