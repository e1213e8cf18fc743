import type { AppError } from "../../../errors.js";
import { checkHttpTool, type HttpToolDefinition, IDEMPOTENT_METHODS } from "../definition.js";
import type { OpenApiDocument } from "./document.js";
import { toolSchema } from "./schemas.js";

/** One operation of a document, and the tool it becomes (or why it cannot). */
export interface ImportedOperation {
  /** `operationId`, or `METHOD /path` when it has none. */
  id: string;
  method: string;
  path: string;
  summary: string | undefined;
  tool: HttpToolDefinition | undefined;
  /** Why there is no tool, or what the tool leaves out. */
  problems: string[];
  /** The secrets the tool sends, to be set before it can be called. */
  secrets: string[];
}

const METHODS = ["get", "put", "post", "delete", "patch", "head"] as const;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

/** Every operation of the document as a tool definition, checked as a saved one is. */
export function operationsOf(doc: OpenApiDocument): ImportedOperation[] {
  const taken = new Set<string>();
  const imported: ImportedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      imported.push(importOperation(doc, path, item, method.toUpperCase(), operation, taken));
    }
  }
  return imported;
}

function importOperation(
  doc: OpenApiDocument,
  path: string,
  item: Record<string, unknown>,
  method: string,
  operation: Record<string, unknown>,
  taken: Set<string>,
): ImportedOperation {
  const operationId = typeof operation.operationId === "string" ? operation.operationId : undefined;
  const summary = typeof operation.summary === "string" ? operation.summary : undefined;
  const problems: string[] = [];
  const secrets: string[] = [];
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  let urlPath = path;

  for (const parameter of parametersOf(item, operation)) {
    const arg = uniqueName(identifier(parameter.name), new Set(Object.keys(properties)));
    const schema = toolSchema(parameter.schema ?? { type: "string" }, doc);
    properties[arg] = parameter.description
      ? { ...schema, description: parameter.description.slice(0, 1_000) }
      : schema;
    if (parameter.required || parameter.in === "path") required.push(arg);
    if (parameter.in === "path") urlPath = urlPath.replaceAll(`{${parameter.name}}`, `{${arg}}`);
    else if (parameter.in === "query") query[parameter.name] = `{${arg}}`;
    else if (parameter.in === "header") headers[parameter.name.toLowerCase()] = `{${arg}}`;
    else {
      problems.push(
        `parameter ${parameter.name} in ${parameter.in} is not sent (path, query and header only)`,
      );
      delete properties[arg];
    }
  }

  const bodySchema = jsonBodyOf(operation, problems);
  if (bodySchema !== undefined) {
    const arg = uniqueName("body", new Set(Object.keys(properties)));
    properties[arg] = toolSchema(bodySchema, doc);
    if ((operation.requestBody as { required?: boolean }).required) required.push(arg);
  }
  for (const [name, value] of Object.entries(securityHeaders(doc, operation, problems, secrets)))
    headers[name] = value;

  const server = serverUrlOf(doc, item, operation);
  if (!server) problems.push("the document names no absolute server URL");
  const outputSchema = outputSchemaOf(doc, operation);
  const id = operationId ?? `${method} ${path}`;
  const definition = {
    name: uniqueName(
      identifier(operationId ?? `${method}_${path}`)
        .toLowerCase()
        .slice(0, 64),
      taken,
    ),
    title: clip(summary ?? operationId ?? `${method} ${path}`, 100),
    description: clip(
      (typeof operation.description === "string" && operation.description) || summary || `${method} ${path}`,
      4_000,
    ),
    inputSchema: {
      type: "object",
      properties,
      ...(required.length > 0 && { required }),
      additionalProperties: false,
    },
    ...(outputSchema && { outputSchema }),
    annotations: {
      readOnlyHint: method === "GET" || method === "HEAD",
      destructiveHint: method === "DELETE",
      idempotentHint: IDEMPOTENT_METHODS.has(method),
      openWorldHint: true,
    },
    request: {
      method,
      url: `${server ?? "https://server.invalid"}${urlPath}`,
      query,
      headers,
      ...(bodySchema !== undefined && { body: "{body}" }),
    },
  };
  let tool: HttpToolDefinition | undefined;
  if (server) {
    try {
      tool = checkHttpTool(definition);
      taken.add(tool.name);
    } catch (error) {
      problems.push((error as AppError).message);
    }
  }
  return { id, method, path, summary, tool, problems, secrets };
}

function parametersOf(item: Record<string, unknown>, operation: Record<string, unknown>): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const list of [item.parameters, operation.parameters])
    if (Array.isArray(list))
      for (const parameter of list as Parameter[])
        if (typeof parameter?.name === "string") byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  return [...byKey.values()];
}

function jsonBodyOf(operation: Record<string, unknown>, problems: string[]): unknown {
  const content = (operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)
    ?.content;
  if (!content) return undefined;
  const json = jsonEntry(content);
  if (json) return json.schema ?? {};
  problems.push(`its request body is ${Object.keys(content).join(", ")}: only JSON bodies are sent`);
  return undefined;
}

function outputSchemaOf(
  doc: OpenApiDocument,
  operation: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const responses = (operation.responses ?? {}) as Record<
    string,
    { content?: Record<string, { schema?: unknown }> }
  >;
  const ok = responses["200"] ?? responses["201"];
  const json = jsonEntry(ok?.content ?? {});
  const schema = json ? toolSchema(json.schema, doc) : undefined;
  // structuredContent is an object: other answers are wrapped, and described by no schema.
  return schema?.type === "object" ? schema : undefined;
}

/** The JSON media type of a request body's or response's content (application/json, …+json). */
function jsonEntry(content: Record<string, { schema?: unknown }>): { schema?: unknown } | undefined {
  return Object.entries(content).find(([type]) => /^application\/(.+\+)?json\b/.test(type))?.[1];
}

/** The headers the operation's security scheme asks for, each carrying a secret by name. */
function securityHeaders(
  doc: OpenApiDocument,
  operation: Record<string, unknown>,
  problems: string[],
  secrets: string[],
): Record<string, string> {
  const requirements = (operation.security ?? doc.security ?? []) as Record<string, string[]>[];
  const [first] = requirements;
  const headers: Record<string, string> = {};
  for (const schemeName of Object.keys(first ?? {})) {
    const scheme = doc.components?.securitySchemes?.[schemeName] ?? {};
    const secret = identifier(schemeName).toUpperCase();
    if (scheme.type === "apiKey" && scheme.in === "header" && typeof scheme.name === "string")
      headers[scheme.name.toLowerCase()] = `{secret:${secret}}`;
    else if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic")
      headers.authorization = `Basic {secret:${secret}}`;
    else if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect")
      headers.authorization = `Bearer {secret:${secret}}`;
    else {
      problems.push(
        `security scheme ${schemeName} (${String(scheme.type)} in ${String(scheme.in)}) is not sent: secrets go in headers only`,
      );
      continue;
    }
    secrets.push(secret);
  }
  return headers;
}

function serverUrlOf(
  doc: OpenApiDocument,
  item: Record<string, unknown>,
  operation: Record<string, unknown>,
) {
  const servers = (operation.servers ?? item.servers ?? doc.servers ?? []) as OpenApiDocument["servers"];
  const server = servers?.[0];
  if (!server) return undefined;
  const url = server.url.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => server.variables?.[name]?.default ?? "",
  );
  return /^https?:\/\//i.test(url) ? url.replace(/\/+$/, "") : undefined;
}

/** A name usable as `{argument}` and as a tool name: letters, digits and _, starting with a letter. */
function identifier(text: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[A-Za-z]/.test(words) ? words : `p_${words}`;
}

function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base.slice(0, 60)}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
