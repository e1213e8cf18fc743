import { createHash } from "node:crypto";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { HttpToolDefinition } from "../http/definition.js";

/**
 * What a version's hash covers: what a client sees of the tool (name, title, description,
 * schemas, annotations) and, for an HTTP tool, where and how it calls. Anything else (timeouts,
 * retries) may change without a new version.
 */
export function pinnedView(definition: Tool | HttpToolDefinition): Record<string, unknown> {
  const { name, title, description, inputSchema, outputSchema, annotations } = definition;
  const view: Record<string, unknown> = { name, title, description, inputSchema, outputSchema, annotations };
  if ("request" in definition) view.request = definition.request;
  return view;
}

/** sha256 of the view as canonical JSON, hex. */
export function versionHash(definition: Tool | HttpToolDefinition): string {
  return createHash("sha256")
    .update(canonical(pinnedView(definition)))
    .digest("hex");
}

/** JSON with keys sorted at every level (and undefined members left out), so equal values compare equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null)
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}
