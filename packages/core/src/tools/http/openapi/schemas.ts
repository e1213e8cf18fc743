/** OpenAPI keywords that are not JSON Schema, or say nothing a tool's caller needs. */
const DROPPED = new Set([
  "discriminator",
  "xml",
  "externalDocs",
  "example",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

/** How deep a schema is copied; deeper parts become "any value". */
const MAX_DEPTH = 12;

/** Where a schema sits: the document its references point into, and the references it is inside. */
interface Place {
  document: unknown;
  depth: number;
  /** The `$ref`s being expanded around this schema: meeting one again is a cycle. */
  within: readonly string[];
}

/**
 * An OpenAPI schema as a self-contained JSON Schema 2020-12 for a tool. The parser leaves circular
 * references as `$ref`s: each is expanded here until it would repeat inside itself, and there (or
 * deeper than MAX_DEPTH) becomes an open schema that says so. OpenAPI 3.0's `nullable` becomes a
 * null type, and keywords that are OpenAPI's own go. The result is finite and self-contained.
 */
export function toolSchema(schema: unknown, document: unknown): Record<string, unknown> {
  return converted(schema, { document, depth: 0, within: [] });
}

function converted(schema: unknown, place: Place): Record<string, unknown> {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return {};
  const source = schema as Record<string, unknown>;
  const ref = source.$ref;
  if (typeof ref === "string") {
    const target =
      ref.startsWith("#/") && !place.within.includes(ref) ? pointed(place.document, ref) : undefined;
    if (target === undefined)
      return { description: `Any value (a recursive ${ref.split("/").at(-1) ?? "schema"})` };
    return converted(target, { ...place, within: [...place.within, ref] });
  }
  if (place.depth >= MAX_DEPTH) return { description: "Any value (nested too deep to describe)" };
  const inner = { ...place, depth: place.depth + 1 };
  const copy: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(source)) {
    if (DROPPED.has(keyword) || keyword === "nullable") continue;
    copy[keyword] = copied(keyword, value, inner);
  }
  if (source.nullable === true && typeof source.type === "string") copy.type = [source.type, "null"];
  return copy;
}

function copied(keyword: string, value: unknown, place: Place): unknown {
  switch (keyword) {
    case "properties":
    case "patternProperties":
      return Object.fromEntries(
        Object.entries(value as object).map(([name, sub]) => [name, converted(sub, place)]),
      );
    case "items":
    case "additionalProperties":
    case "not":
      return typeof value === "boolean" ? value : converted(value, place);
    case "allOf":
    case "anyOf":
    case "oneOf":
      return Array.isArray(value) ? value.map((sub) => converted(sub, place)) : value;
    default:
      return value;
  }
}

/** RFC 6901 inside the document; undefined when the pointer leads nowhere. */
function pointed(document: unknown, ref: string): unknown {
  let current = document;
  for (const token of ref.slice(2).split("/")) {
    const key = decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
