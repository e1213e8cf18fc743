import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, AppError } from "@mcp-tools/core";
import { listToolVersions, proposeHttpTool } from "@mcp-tools/core/catalog";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { Proposal, proposed } from "./proposal.js";
import { csrfHeader, failure, json, refused } from "./responses.js";
import { toolIdFrom } from "./tool-versions.js";
import { jsonBody, wellFormedBody } from "./well-formed-body.js";

/** A definition is checked by core (checkHttpTool), which names what is wrong in it. */
export const ProposeToolBody = z
  .strictObject({
    definition: z.record(z.string(), z.unknown()).openapi({
      description: "name, title, description, inputSchema, outputSchema?, annotations?, request",
    }),
  })
  .openapi("ProposeToolBody");

const create = createRoute({
  method: "post",
  path: "/",
  summary: "Define a new HTTP tool: a pending version until an admin approves it (operator, admin)",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { body: jsonBody(ProposeToolBody) },
  responses: {
    201: json(Proposal, "The pending version, and its schema's portability issues"),
    ...refused,
    409: failure("Another tool has that name"),
  },
});

const replace = createRoute({
  method: "put",
  path: "/{toolId}",
  summary: "Propose a new definition for an HTTP tool; clients keep the approved one until then",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: z.object({ toolId: z.string() }), body: jsonBody(ProposeToolBody) },
  responses: { 200: json(Proposal, "The pending version"), ...refused, 404: failure("No such tool") },
});

/**
 * /api/http-tools: people define HTTP tools by hand; every definition is a pending version until
 * an admin approves it (see /api/tool-versions), and clients see only approved ones.
 */
export function httpToolApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(create, async (c) => {
    const version = await proposeHttpTool(
      ctx,
      c.req.valid("json").definition,
      c.get("session").user.username,
    );
    return c.json(proposed(version), 201);
  });

  app.openapi(replace, async (c) => {
    const toolId = toolIdFrom(c.req.valid("param").toolId);
    if ((await listToolVersions(ctx, { toolId })).length === 0)
      throw new AppError("NOT_FOUND", `No tool ${toolId.slice(0, 64)}`);
    const actor = c.get("session").user.username;
    return c.json(proposed(await proposeHttpTool(ctx, c.req.valid("json").definition, actor, toolId)), 200);
  });
  return app;
}
