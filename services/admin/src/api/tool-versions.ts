import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, AppError } from "@mcp-tools/core";
import { decideToolVersion, listToolVersions } from "@mcp-tools/core/catalog";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { createApiApp } from "./api-app.js";
import { ToolVersion } from "./proposal.js";
import { queryParam } from "./query.js";
import { csrfHeader, failure, IdParam, json, refused } from "./responses.js";

const STATUSES = ["pending", "approved", "superseded", "rejected"] as const;
/** A tool's id as tool_versions keeps it: `builtin:<name>`, or a uuid for an HTTP tool. */
const ToolId = z.union([z.uuid(), z.string().regex(/^builtin:[a-z][a-z0-9_]{0,63}$/)]);

/** A tool id from a path or query; one that could name no tool is not found (and never reaches SQL). */
export function toolIdFrom(text: string): string {
  if (!ToolId.safeParse(text).success) throw new AppError("NOT_FOUND", `No tool ${text.slice(0, 64)}`);
  return text;
}

const list = createRoute({
  method: "get",
  path: "/",
  summary: "Tool versions: one tool's (toolId), or every one with a status (pending by default)",
  request: {
    query: z.object({
      toolId: queryParam(z.string().optional()).openapi({
        description: "`builtin:<name>` or an HTTP tool's uuid",
      }),
      status: queryParam(z.enum(STATUSES, { error: `one of ${STATUSES.join(", ")}` }).default("pending")),
    }),
  },
  responses: { 200: json(z.object({ versions: z.array(ToolVersion) }), "Newest first"), ...refused },
});

const decisions = {
  approve: "Approve a pending version (admin): every replica's clients get it within a second",
  reject: "Reject a pending version (admin)",
} as const;
const decide = (decision: keyof typeof decisions) =>
  createRoute({
    method: "post",
    path: `/{id}/${decision}`,
    summary: decisions[decision],
    middleware: [requireRole("admin")] as const,
    parameters: [csrfHeader],
    request: { params: IdParam("The version's id") },
    responses: {
      200: json(
        z.object({ version: ToolVersion }),
        `The version, ${decision === "approve" ? "approved" : "rejected"}`,
      ),
      ...refused,
      404: failure("No such version"),
      409: failure("Not pending"),
    },
  });

/** /api/tool-versions: every definition a tool has had; admins approve or reject pending ones. */
export function toolVersionApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const filter =
      query.toolId === undefined ? { status: query.status } : { toolId: toolIdFrom(query.toolId) };
    return c.json({ versions: await listToolVersions(ctx, filter) }, 200);
  });

  for (const decision of ["approve", "reject"] as const)
    app.openapi(decide(decision), async (c) => {
      const { id } = c.req.valid("param");
      // Checked here: a malformed id would reach PostgreSQL as a uuid it cannot parse.
      if (!z.uuid().safeParse(id).success)
        throw new AppError("NOT_FOUND", `No tool version ${id.slice(0, 64)}`);
      const version = await decideToolVersion(ctx, id, decision, c.get("session").user.username);
      return c.json({ version }, 200);
    });
  return app;
}
