import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, ToolSettingsPatch, updateToolSettings } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { csrfHeader, failure, json, named, refused, unauthorized } from "./responses.js";
import { toolsOverview } from "./tools-overview.js";
import { jsonBody, wellFormedBody } from "./well-formed-body.js";

/** PATCH /api/tools/:name: core's own strict patch schema, so the API cannot accept more than core. */
export const ToolPatchBody = named(ToolSettingsPatch, "ToolPatchBody");

const Settings = z.object({
  enabled: z.boolean(),
  descriptionOverride: z.string().nullable(),
  rateLimitPerMinute: z.number().int().nullable(),
});
const JsonSchema = z.record(z.string(), z.unknown());
const ToolOverview = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonSchema,
  outputSchema: JsonSchema.optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
  settings: Settings.extend({
    updatedAt: z.string().nullable().openapi({ format: "date-time" }),
    updatedBy: z.string().nullable(),
  }),
  stats: z
    .object({ calls: z.number().int(), errorRate: z.number(), p95Ms: z.number().nullable() })
    .openapi({ description: "Over the last hour" }),
});

const list = createRoute({
  method: "get",
  path: "/",
  summary: "Every tool with its schemas, annotations, settings and last-hour stats",
  description:
    "Each tool is its MCP descriptor plus `settings` (enabled, descriptionOverride, " +
    "rateLimitPerMinute, updatedAt, updatedBy) and `stats` (calls, errorRate, p95Ms over the last hour).",
  responses: { 200: json(z.object({ tools: z.array(ToolOverview) }), "OK"), ...unauthorized },
});

const update = createRoute({
  method: "patch",
  path: "/{name}",
  summary: "Enable or disable a tool, override its description, set its rate limit (operator, admin)",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: z.object({ name: z.string() }), body: jsonBody(ToolPatchBody) },
  responses: {
    200: json(z.object({ tool: z.string(), settings: Settings }), "The tool's settings after the change"),
    ...refused,
    404: failure("No such tool"),
  },
});

/**
 * /api/tools: every tool with its schemas and annotations as MCP clients see them, plus settings
 * and last-hour stats; operators and admins change settings (viewers are refused by readOnlyRoles).
 */
export function toolApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(list, async (c) => c.json({ tools: await toolsOverview(ctx) }, 200));

  app.openapi(update, async (c) => {
    const { name } = c.req.valid("param");
    const settings = await updateToolSettings(ctx, name, c.req.valid("json"), c.get("session").user.username);
    return c.json({ tool: name, settings }, 200);
  });
  return app;
}
