import { and, eq, inArray } from "drizzle-orm";
import type { Dispatcher } from "undici";
import type { AppContext } from "../../../context.js";
import { toolVersions } from "../../../db/schema.js";
import { egressRequest } from "../../../egress/request.js";
import { AppError } from "../../../errors.js";
import { versionHash } from "../../catalog/hash.js";
import { proposeHttpTool } from "../../catalog/propose.js";
import type { ToolVersion } from "../../catalog/versions.js";
import { type PortabilityIssue, portabilityIssues } from "../../schema/portability.js";
import { MAX_DOCUMENT_BYTES, readOpenApi } from "./document.js";
import { type ImportedOperation, operationsOf } from "./operations.js";

/** Where a document comes from: its text (an upload, a paste) or a URL; exactly one. */
export interface DocumentSource {
  document?: string | undefined;
  url?: string | undefined;
}

/** An operation as a preview shows it: the tool it becomes and what of its schemas does not port. */
export type PreviewedOperation = ImportedOperation & { portability: PortabilityIssue[] };

/**
 * The document's text. One named by URL is fetched as tools call out (through `agent`: public
 * addresses only, unless EGRESS_ALLOW names it), within 15 s and MAX_DOCUMENT_BYTES.
 */
export async function openApiText(agent: Dispatcher, source: DocumentSource): Promise<string> {
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

/** Every operation of a document, as the tool it would become; nothing is stored. */
export async function previewOpenApiImport(
  agent: Dispatcher,
  source: DocumentSource,
): Promise<PreviewedOperation[]> {
  const operations = operationsOf(await readOpenApi(await openApiText(agent, source)));
  return operations.map((operation) => ({
    ...operation,
    portability: operation.tool ? portabilityIssues(operation.tool.inputSchema) : [],
  }));
}

/**
 * Proposes the chosen operations (by `id`, as the preview lists them) as HTTP tools: each a
 * pending version until an admin approves it. An operation whose tool name an HTTP tool already
 * has becomes a new version of that tool, so importing a newer document updates what an earlier
 * one made; one that is unchanged proposes nothing. Returns the versions proposed. Every id is
 * checked before anything is stored.
 */
export async function importOpenApiOperations(
  ctx: Pick<AppContext, "db">,
  agent: Dispatcher,
  source: DocumentSource,
  ids: readonly string[],
  actor: string,
): Promise<ToolVersion[]> {
  const operations = operationsOf(await readOpenApi(await openApiText(agent, source)));
  const chosen = ids.map((id) => {
    const operation = operations.find((each) => each.id === id);
    if (!operation) throw new AppError("INVALID", `No operation ${id.slice(0, 100)} in the document`);
    if (!operation.tool)
      throw new AppError(
        "INVALID",
        `${id.slice(0, 100)} cannot become a tool: ${operation.problems.join("; ")}`,
      );
    return operation.tool;
  });
  const known = await ctx.db.db
    .select({ name: toolVersions.name, toolId: toolVersions.toolId, hash: toolVersions.hash })
    .from(toolVersions)
    .where(
      and(
        eq(toolVersions.kind, "http"),
        inArray(toolVersions.status, ["pending", "approved"]),
        inArray(
          toolVersions.name,
          chosen.map((tool) => tool.name),
        ),
      ),
    );
  const toolIdOf = new Map(known.map((row) => [row.name, row.toolId]));
  const unchanged = new Set(known.map((row) => `${row.name}\n${row.hash}`));
  const versions: ToolVersion[] = [];
  for (const tool of chosen) {
    if (unchanged.has(`${tool.name}\n${versionHash(tool)}`)) continue;
    versions.push(await proposeHttpTool(ctx, tool, actor, toolIdOf.get(tool.name)));
  }
  return versions;
}
