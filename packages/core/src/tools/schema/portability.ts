/**
 * Where a tool's JSON Schema leaves the subset every model provider takes. MCP allows any JSON
 * Schema 2020-12, but providers turn schemas into their own function-calling formats: Gemini's
 * (an OpenAPI 3.0 subset) rejects type arrays and `$ref`, OpenAI's strict mode and others drop
 * keywords they do not know, silently. A schema that keeps to the subset behaves the same
 * everywhere; the admin reports each construct outside it with the rewrite that stays inside.
 */
export interface PortabilityIssue {
  /** A JSON Pointer to the construct, from the schema's root. */
  path: string;
  problem: string;
  suggestion: string;
}

/** Keywords every provider we know of reads (besides those handled below). */
const PORTABLE = new Set([
  "type",
  "properties",
  "required",
  "items",
  "enum",
  "const",
  "description",
  "title",
  "default",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
  "additionalProperties",
  "anyOf",
  "format",
  "$schema",
  // MCP 2026-07-28 (SEP-2243): read by MCP clients, which mirror the argument into a header.
  "x-mcp-header",
]);

/** String formats providers keep; others are dropped (or refused) without a word. */
const PORTABLE_FORMATS = new Set([
  "date-time",
  "date",
  "time",
  "email",
  "uri",
  "uuid",
  "ipv4",
  "ipv6",
  "hostname",
]);

const REWRITES = new Map<string, string>([
  ["$ref", "inline the schema it points to"],
  ["$defs", "inline each definition where it is used"],
  ["definitions", "inline each definition where it is used"],
  ["oneOf", "use anyOf, and say in the description that exactly one applies"],
  ["allOf", "merge the schemas into one"],
  ["not", "describe the exclusion in the description"],
  ["if", "describe the condition in the description"],
  ["then", "describe the condition in the description"],
  ["else", "describe the condition in the description"],
  ["exclusiveMinimum", "use minimum"],
  ["exclusiveMaximum", "use maximum"],
]);

/** Every construct in `schema` outside the portable subset, in document order. */
export function portabilityIssues(schema: unknown, path = ""): PortabilityIssue[] {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return [];
  const issues: PortabilityIssue[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const at = `${path}/${pointerToken(keyword)}`;
    if (keyword === "type" && Array.isArray(value)) {
      const types = value.filter((type) => type !== "null");
      issues.push({
        path: at,
        problem: `type is an array (${JSON.stringify(value)}), which Gemini rejects`,
        suggestion: value.includes("null")
          ? `type "${types[0] ?? "string"}", and leave the property out instead of sending null`
          : `anyOf: [${types.map((type) => `{ "type": "${type}" }`).join(", ")}]`,
      });
    } else if (keyword === "format" && typeof value === "string" && !PORTABLE_FORMATS.has(value)) {
      issues.push({
        path: at,
        problem: `format "${value}" is dropped by some providers`,
        suggestion: "leave format out and say what the value looks like in the description",
      });
    } else if (!PORTABLE.has(keyword)) {
      issues.push({
        path: at,
        problem: `${keyword} is rejected or ignored by some providers`,
        suggestion:
          REWRITES.get(keyword) ?? `leave ${keyword} out, and say it in the description if it matters`,
      });
    }
    issues.push(...nested(keyword, value, at));
  }
  return issues;
}

/** The schemas inside a keyword's value. */
function nested(keyword: string, value: unknown, at: string): PortabilityIssue[] {
  if (keyword === "properties" && typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([name, sub]) =>
      portabilityIssues(sub, `${at}/${pointerToken(name)}`),
    );
  if ((keyword === "anyOf" || keyword === "oneOf" || keyword === "allOf") && Array.isArray(value))
    return value.flatMap((sub, i) => portabilityIssues(sub, `${at}/${i}`));
  if (keyword === "items" || keyword === "additionalProperties" || keyword === "not")
    return portabilityIssues(value, at);
  return [];
}

const pointerToken = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");
