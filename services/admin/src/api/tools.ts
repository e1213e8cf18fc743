import { type AppContext, ToolSettingsPatch, updateToolSettings } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { toolsOverview } from "./tools-overview.js";
import { parseJsonBody } from "./validate.js";

/** PATCH /api/tools/:name: core's own strict patch schema, so the API cannot accept more than core. */
export const ToolPatchBody = ToolSettingsPatch;

/**
 * /api/tools: every tool with its schemas and annotations as MCP clients see them, plus settings
 * and last-hour stats; operators and admins change settings (viewers are refused by readOnlyRoles).
 */
export function toolApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", async (c) => c.json({ tools: await toolsOverview(ctx) }));

  app.patch("/:name", async (c) => {
    const body = await parseJsonBody(c, ToolPatchBody);
    const actor = c.get("session").user.username;
    const settings = await updateToolSettings(ctx, c.req.param("name"), body, actor);
    return c.json({ tool: c.req.param("name"), settings });
  });
  return app;
}
