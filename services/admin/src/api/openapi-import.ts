import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "@mcp-tools/core";
import { importOpenApiOperations, MAX_DOCUMENT_BYTES, previewOpenApiImport } from "@mcp-tools/core/catalog";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { withDocumentAgent } from "./document-agent.js";
import { PortabilityIssue, Proposal, proposed } from "./proposal.js";
import { csrfHeader, failure, json, refused } from "./responses.js";
import { jsonBody, wellFormedBody } from "./well-formed-body.js";

// Exactly one of them; core says so when both or neither are given.
const DocumentSource = {
  document: z.string().max(MAX_DOCUMENT_BYTES).optional().openapi({ description: "JSON or YAML" }),
  url: z.url().max(2_000).optional().openapi({ description: "Fetched as tools call out" }),
};
export const PreviewImportBody = z.strictObject(DocumentSource).openapi("PreviewImportBody");
export const ImportBody = z
  .strictObject({ ...DocumentSource, operations: z.array(z.string().max(500)).min(1).max(500) })
  .openapi("ImportBody");

const Operation = z.object({
  id: z.string().openapi({ description: "operationId, or `METHOD /path` when it has none" }),
  method: z.string(),
  path: z.string(),
  summary: z.string().optional(),
  tool: z.record(z.string(), z.unknown()).optional().openapi({ description: "The tool it becomes" }),
  problems: z.array(z.string()).openapi({ description: "Why there is no tool, or what it leaves out" }),
  secrets: z.array(z.string()).openapi({ description: "The secrets the tool sends" }),
  portability: z.array(PortabilityIssue),
});

const preview = createRoute({
  method: "post",
  path: "/preview",
  summary:
    "Read an OpenAPI 3.0/3.1 document (JSON or YAML, given or by URL) and show the tools it would become",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { body: jsonBody(PreviewImportBody) },
  responses: {
    200: json(z.object({ operations: z.array(Operation) }), "Each operation, its tool or why not"),
    ...refused,
  },
});

const propose = createRoute({
  method: "post",
  path: "/",
  summary: "Propose the chosen operations of a document as HTTP tools (pending versions)",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { body: jsonBody(ImportBody) },
  responses: {
    201: json(z.object({ versions: z.array(Proposal) }), "The pending versions"),
    ...refused,
    409: failure("A tool name is taken"),
  },
});

/** /api/openapi-import: HTTP tools from an OpenAPI document, previewed, then proposed. */
export function openApiImportApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(preview, async (c) => {
    const source = c.req.valid("json");
    const operations = await withDocumentAgent(ctx.config, (agent) => previewOpenApiImport(agent, source));
    return c.json({ operations }, 200);
  });

  app.openapi(propose, async (c) => {
    const { operations, ...source } = c.req.valid("json");
    const actor = c.get("session").user.username;
    const versions = await withDocumentAgent(ctx.config, (agent) =>
      importOpenApiOperations(ctx, agent, source, operations, actor),
    );
    return c.json({ versions: versions.map(proposed) }, 201);
  });
  return app;
}
