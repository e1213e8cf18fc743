import { type AppContext, AppError } from "@mcp-tools/core";
import {
  createEgressAgent,
  createEgressPolicy,
  decideToolVersion,
  egressRequest,
  listToolVersions,
  MAX_DOCUMENT_BYTES,
  operationsOf,
  portabilityIssues,
  proposeHttpTool,
  readOpenApi,
} from "@mcp-tools/core/catalog";
import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { parseJsonBody } from "./validate.js";

export const ProposeToolBody = z.object({ definition: z.record(z.string(), z.unknown()) }).strict();
const DocumentSource = {
  document: z.string().max(MAX_DOCUMENT_BYTES).optional(),
  url: z.url().max(2_000).optional(),
};
export const PreviewImportBody = z.object(DocumentSource).strict();
export const ImportBody = z
  .object({ ...DocumentSource, operations: z.array(z.string().max(500)).min(1).max(500) })
  .strict();
const STATUSES = ["pending", "approved", "superseded", "rejected"] as const;
/** A tool's id as tool_versions keeps it: `builtin:<name>`, or a uuid for an HTTP tool. */
const ToolId = z.union([z.uuid(), z.string().regex(/^builtin:[a-z][a-z0-9_]{0,63}$/)]);

function toolIdFrom(text: string): string {
  if (!ToolId.safeParse(text).success) throw new AppError("NOT_FOUND", `No tool ${text.slice(0, 64)}`);
  return text;
}

/**
 * /api/http-tools and /api/tool-versions: people define HTTP tools (by hand or from an OpenAPI
 * document); every definition is a pending version until an admin approves it, and clients see
 * only approved ones. Each proposal says which of its schema constructs some model providers
 * would not take (`portability`).
 */
export function httpToolApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  // Documents named by URL are fetched as tools call out: public addresses only, unless EGRESS_ALLOW.
  const agent = createEgressAgent({ policy: createEgressPolicy(ctx.config.EGRESS_ALLOW) });
  const actor = (c: { get(key: "session"): { user: { username: string } } }) =>
    c.get("session").user.username;

  app.post("/http-tools", async (c) => {
    const { definition } = await parseJsonBody(c, ProposeToolBody);
    return c.json(proposed(await proposeHttpTool(ctx, definition, actor(c))), 201);
  });

  app.put("/http-tools/:toolId", async (c) => {
    const { definition } = await parseJsonBody(c, ProposeToolBody);
    const toolId = toolIdFrom(c.req.param("toolId"));
    if ((await listToolVersions(ctx, { toolId })).length === 0)
      throw new AppError("NOT_FOUND", `No tool ${toolId.slice(0, 64)}`);
    return c.json(proposed(await proposeHttpTool(ctx, definition, actor(c), toolId)));
  });

  app.get("/tool-versions", async (c) => {
    const toolQuery = c.req.query("toolId");
    const toolId = toolQuery === undefined ? undefined : toolIdFrom(toolQuery);
    const status = c.req.query("status") ?? "pending";
    if (!toolId && !(STATUSES as readonly string[]).includes(status))
      throw new AppError("INVALID", `status: one of ${STATUSES.join(", ")}`, {
        details: { field: "status" },
      });
    const filter = toolId ? { toolId } : { status: status as (typeof STATUSES)[number] };
    return c.json({ versions: await listToolVersions(ctx, filter) });
  });

  for (const decision of ["approve", "reject"] as const)
    app.post(`/tool-versions/:id/${decision}`, requireRole("admin"), async (c) => {
      const id = c.req.param("id");
      if (!z.uuid().safeParse(id).success)
        throw new AppError("NOT_FOUND", `No tool version ${id.slice(0, 64)}`);
      return c.json({ version: await decideToolVersion(ctx, id, decision, actor(c)) });
    });

  app.post("/openapi-import/preview", async (c) => {
    const text = await documentText(await parseJsonBody(c, PreviewImportBody));
    const operations = operationsOf(await readOpenApi(text)).map((operation) => ({
      ...operation,
      portability: operation.tool ? portabilityIssues(operation.tool.inputSchema) : [],
    }));
    return c.json({ operations });
  });

  app.post("/openapi-import", async (c) => {
    const body = await parseJsonBody(c, ImportBody);
    const operations = operationsOf(await readOpenApi(await documentText(body)));
    const chosen = body.operations.map((id) => {
      const operation = operations.find((each) => each.id === id);
      if (!operation) throw new AppError("INVALID", `No operation ${id.slice(0, 100)} in the document`);
      if (!operation.tool)
        throw new AppError(
          "INVALID",
          `${id.slice(0, 100)} cannot become a tool: ${operation.problems.join("; ")}`,
        );
      return operation.tool;
    });
    const versions = [];
    for (const tool of chosen) versions.push(proposed(await proposeHttpTool(ctx, tool, actor(c))));
    return c.json({ versions }, 201);
  });

  async function documentText(source: {
    document?: string | undefined;
    url?: string | undefined;
  }): Promise<string> {
    if ((source.document === undefined) === (source.url === undefined))
      throw new AppError("INVALID", "Give the document itself (document) or where it is (url), one of them");
    if (source.document !== undefined) return source.document;
    const answer = await egressRequest(agent, {
      method: "GET",
      url: source.url ?? "",
      headers: { accept: "application/json, application/yaml;q=0.9, */*;q=0.1" },
      timeoutMs: 15_000,
      maxBytes: MAX_DOCUMENT_BYTES,
    });
    if (answer.status >= 400) throw new AppError("INVALID", `The document's URL answered ${answer.status}`);
    return answer.body.toString("utf8");
  }
  return app;
}

/** A proposal as the API answers it: the version and what of its schema does not port. */
function proposed(version: Awaited<ReturnType<typeof proposeHttpTool>>) {
  const definition = version.definition as { inputSchema?: unknown; outputSchema?: unknown };
  return {
    version,
    portability: [
      ...portabilityIssues(definition.inputSchema),
      ...portabilityIssues(definition.outputSchema ?? {}),
    ],
  };
}
