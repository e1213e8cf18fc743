import fc from "fast-check";

/** One generated request to the admin JSON API. */
export interface FuzzCase {
  method: string;
  /** Path and query string, percent-encoded as a client would send them (or would not). */
  url: string;
  contentType: string | undefined;
  body: string | undefined;
}

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
};

interface Operation {
  parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const HUGE = "x".repeat(1 << 20);
const DEEP = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`;
const DEEP_FIELD = `{"name":${DEEP},"scope":${DEEP_OBJECT}}`;

/** Bodies every operation that takes one is sent at least once, whatever the generator draws. */
export const NASTY_BODIES = [DEEP, DEEP_OBJECT, DEEP_FIELD, `{"a":"${HUGE}"}`, "{", '{"__proto__":{"x":1}}'];

/** Strings a careless server trips on: NUL, lone surrogates, huge, path tricks, markup, other ids. */
export function hostileString(ids: readonly string[]): fc.Arbitrary<string> {
  const piece = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.constantFrom("\u0000", "\ud800", "\udfff", "\ud83d", "\u202e", "\n", "\\", "/", "%", "..", "'", '"'),
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(piece, { maxLength: 6 }).map((parts) => parts.join("")) },
    { weight: 2, arbitrary: fc.constantFrom(...ids, "00000000-0000-4000-8000-000000000000") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(HUGE, HUGE.slice(0, 70_000), "a".repeat(65), "-1", "1e309", "NaN"),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", " ", "null", "<script>alert(1)</script>", "../../etc/passwd"),
    },
  );
}

/** Any JSON value, with hostile strings and keys, nested a little. */
function hostileJson(ids: readonly string[]): fc.Arbitrary<unknown> {
  const text = hostileString(ids);
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(text, tie("value"), { maxKeys: 4 }),
    ),
  })).value;
}

/** A value that fits `schema`, mostly; one level of hostility where strings go. */
function fromSchema(schema: JsonSchema, doc: OpenApiDocument, ids: readonly string[]): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = doc.components.schemas[schema.$ref.split("/").at(-1) ?? ""];
    return target ? fromSchema(target, doc, ids) : hostileJson(ids);
  }
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => fromSchema(choice, doc, ids)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc.record(
        Object.fromEntries(properties.map(([name, property]) => [name, fromSchema(property, doc, ids)])),
        { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) },
      );
    }
    case "array":
      return fc.array(schema.items ? fromSchema(schema.items, doc, ids) : hostileJson(ids), { maxLength: 4 });
    case "string":
      return fc.oneof(
        fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
        hostileString(ids),
      );
    case "integer":
      return fc.oneof(
        fc.integer({ min: -5, max: 5000 }),
        fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER),
      );
    case "number":
      return fc.double();
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return hostileJson(ids);
  }
}

/** A body for an operation: valid-looking, a valid one with one field broken, anything, or not JSON. */
function bodyFor(operation: Operation, doc: OpenApiDocument, ids: readonly string[]) {
  const schema = operation.requestBody?.content["application/json"]?.schema;
  const json = hostileJson(ids);
  const valid = schema ? fromSchema(schema, doc, ids) : json;
  const broken = fc
    .tuple(valid, hostileString(ids), json)
    .map(([value, key, replacement]) =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? { ...(value as Record<string, unknown>), [key]: replacement }
        : replacement,
    );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: valid.map((value) => ({ type: "application/json", text: JSON.stringify(value) })),
    },
    {
      weight: 3,
      arbitrary: broken.map((value) => ({ type: "application/json", text: JSON.stringify(value) })),
    },
    {
      weight: 2,
      arbitrary: json.map((value) => ({ type: "application/json", text: JSON.stringify(value) ?? "" })),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constantFrom(
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
        ),
        text: fc.oneof(
          fc.constantFrom("{", "", "null", "[]", '"x"', DEEP, DEEP_OBJECT, `{"a":"${HUGE}"}`),
          fc.string(),
        ),
      }),
    },
  );
}

// A failing case is printed; a 200 kB body would bury the report.
const short = (text: string | undefined) =>
  text === undefined || text.length <= 300 ? text : `${text.slice(0, 300)}… (${text.length} characters)`;
function printable(request: FuzzCase): FuzzCase {
  return Object.assign(request, {
    [fc.toStringMethod]: () =>
      JSON.stringify({ ...request, url: short(request.url), body: short(request.body) }),
  });
}

/** What a client puts in a URL: percent-encoded UTF-8, or, for a lone surrogate, bytes that are not UTF-8. */
export function percentEncode(text: string): string {
  let out = "";
  for (const char of text) {
    if (/\p{Surrogate}/u.test(char)) out += "%ED%A0%80";
    else out += encodeURIComponent(char);
  }
  return out;
}

/** Every operation of the document, with generated path parameters, query strings and bodies. */
export function fuzzCases(doc: OpenApiDocument, ids: readonly string[]): fc.Arbitrary<FuzzCase> {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );
  return fc.constantFrom(...operations).chain(({ path, method, operation }) => {
    const params = operation.parameters ?? [];
    const pathNames = params.filter((param) => param.in === "path").map((param) => param.name);
    const queryNames = params.filter((param) => param.in === "query").map((param) => param.name);
    const text = hostileString(ids);
    return fc
      .record({
        pathValues: fc.tuple(...pathNames.map(() => text)),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...queryNames, "x"), text), text), {
          maxLength: 4,
        }),
        body:
          method === "GET" ? fc.constant(undefined) : fc.option(bodyFor(operation, doc, ids), { freq: 8 }),
      })
      .map(({ pathValues, query, body }) => {
        let url = path;
        pathNames.forEach((name, i) => {
          url = url.replace(`{${name}}`, percentEncode(pathValues[i] ?? ""));
        });
        if (query.length > 0)
          url += `?${query.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join("&")}`;
        return printable({ method, url, contentType: body?.type, body: body?.text });
      });
  });
}

/** For each operation taking a body, one case per nasty body: run first, every time. */
export function nastyCases(doc: OpenApiDocument): FuzzCase[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => operation.requestBody)
      .flatMap(([method]) =>
        NASTY_BODIES.map((body) =>
          printable({
            method: method.toUpperCase(),
            url: path.replace(/\{\w+\}/g, "00000000-0000-4000-8000-000000000000"),
            contentType: "application/json",
            body,
          }),
        ),
      ),
  );
}
