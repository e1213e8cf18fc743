import type { Tool } from "@modelcontextprotocol/sdk/types.js";

/** One tool argument a client mirrors into an `Mcp-Param-{name}` header (SEP-2243 `x-mcp-header`). */
export interface HeaderParam {
  /** The header's name, lower-cased: `mcp-param-note-id`. */
  header: string;
  /** The chain of `properties` keys leading to the argument. */
  path: readonly string[];
  type: "string" | "integer" | "boolean";
}

// RFC 9110 §5.1 token: what a header name may be made of.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The arguments a tool's input schema marks with `x-mcp-header`, read once per tool. An annotation
 * the spec forbids (MCP 2026-07-28 §Custom Headers: not a token, a duplicate, a `number` or non
 * primitive, behind anything but `properties`) makes the definition invalid: it throws, naming it.
 */
export function headerParamsOf(tool: Pick<Tool, "name" | "inputSchema">): HeaderParam[] {
  const found: HeaderParam[] = [];
  const visit = (schema: Record<string, unknown>, path: string[]) => {
    const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [key, property] of Object.entries(properties ?? {})) {
      const name = property["x-mcp-header"];
      if (name !== undefined) found.push(headerParam(tool.name, name, property.type, [...path, key]));
      if (property.type === "object") visit(property, [...path, key]);
    }
  };
  visit(tool.inputSchema as Record<string, unknown>, []);
  const names = new Set(found.map((param) => param.header));
  if (names.size !== found.length) throw invalid(tool.name, "two x-mcp-header names are the same");
  return found;
}

function headerParam(tool: string, name: unknown, type: unknown, path: string[]): HeaderParam {
  if (typeof name !== "string" || !TOKEN.test(name))
    throw invalid(tool, `x-mcp-header on ${path.join(".")} is not an HTTP field name`);
  if (type !== "string" && type !== "integer" && type !== "boolean")
    throw invalid(tool, `x-mcp-header on ${path.join(".")} needs a string, integer or boolean argument`);
  return { header: `mcp-param-${name.toLowerCase()}`, path, type };
}

const invalid = (tool: string, why: string) => new Error(`Tool ${tool} has an invalid definition: ${why}`);

/**
 * Why the request's `Mcp-Param-*` headers disagree with its arguments, or undefined when they agree
 * (MCP 2026-07-28 §Server Behavior for Custom Headers): an argument that is present needs its
 * header, equal once decoded; one absent (or null) must have none.
 */
export function paramHeaderMismatch(
  params: readonly HeaderParam[],
  args: unknown,
  header: (name: string) => string | undefined,
): string | undefined {
  for (const param of params) {
    const value = valueAt(args, param.path);
    const sent = header(param.header);
    const label = `the ${param.header} header`;
    if (value === undefined || value === null) {
      if (sent !== undefined) return `Header mismatch: ${label} is set but the argument is absent`;
      continue;
    }
    if (sent === undefined)
      return `Header mismatch: ${label} is required for argument ${param.path.join(".")}`;
    if (!VISIBLE_ASCII.test(sent)) return `Header mismatch: ${label} holds characters a header may not carry`;
    const decoded = decodeHeaderValue(sent.trim());
    if (decoded === undefined) return `Header mismatch: ${label} is not valid Base64`;
    if (!sameValue(decoded, value, param.type))
      return `Header mismatch: ${label} does not match the argument`;
  }
  return undefined;
}

// RFC 9110 §5.5: visible ASCII, space and tab; anything else travels Base64-encoded.
const VISIBLE_ASCII = /^[\t\x20-\x7E]*$/;
const SENTINEL = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;

/** MCP 2026-07-28 §Value Encoding: `=?base64?…?=` carries a value a header cannot hold as is. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith("=?base64?") && value.endsWith("?="))) return value;
  const encoded = SENTINEL.exec(value)?.[1];
  if (encoded === undefined || encoded.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  // Bytes that are not UTF-8 decode to U+FFFD: not the value the body carries.
  return decoded.includes("\uFFFD") ? undefined : decoded;
}

function sameValue(decoded: string, value: unknown, type: HeaderParam["type"]): boolean {
  if (type === "boolean") return decoded === String(value);
  // Compared as numbers: "42.0" and 42 are the same integer (the spec's note on Server Validation).
  if (type === "integer") return decoded.trim() !== "" && Number(decoded) === value;
  return decoded === value;
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let value = args;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
