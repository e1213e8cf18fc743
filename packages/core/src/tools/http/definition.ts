import { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import { AppError } from "../../errors.js";
import { placeholdersOf } from "./template.js";

/** Methods whose repetition changes nothing more (RFC 9110 §9.2.2): only these are retried. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const MAX_TEMPLATE = 2_000;

const template = z.string().max(MAX_TEMPLATE);
const jsonSchemaObject = z.record(z.string(), z.unknown());

/**
 * A tool that calls an HTTP service, as people define it in the admin (no code): what the client
 * sees (name, description, schemas, annotations) and the request its arguments fill in.
 * Templates take `{argument}` (encoded where it lands) and, in headers only, `{secret:NAME}`.
 */
export const HttpToolDefinition = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, "lower-case letters, digits and _, starting with a letter"),
  title: z.string().min(1).max(100),
  description: z.string().min(1).max(4_000),
  inputSchema: jsonSchemaObject,
  /** The shape of `structuredContent`; any object when absent. */
  outputSchema: jsonSchemaObject.optional(),
  annotations: z
    .object({
      readOnlyHint: z.boolean().optional(),
      destructiveHint: z.boolean().optional(),
      idempotentHint: z.boolean().optional(),
      openWorldHint: z.boolean().optional(),
    })
    .default({}),
  request: z.object({
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]),
    /** Absolute http(s) URL; `{argument}` in its path is percent-encoded. */
    url: template,
    /** Query parameters by name; one whose template names a missing argument is left out. */
    query: z.record(z.string().max(200), template).default({}),
    headers: z.record(z.string().max(200), template).default({}),
    /** A JSON body: a string that is exactly `{argument}` becomes that argument's value, typed. */
    body: z.unknown().optional(),
  }),
  response: z
    .object({
      /** A JSON Pointer (RFC 6901) into the answer, taken as the result instead of all of it. */
      pick: z.string().max(500).optional(),
    })
    .default({}),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  maxResponseBytes: z
    .number()
    .int()
    .min(1)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  /** Further attempts after a connection failure or a 502/503/504: idempotent methods only. */
  retries: z.number().int().min(0).max(3).default(0),
});
export type HttpToolDefinition = z.output<typeof HttpToolDefinition>;

// Compiled to find out whether a schema is valid; formats are annotations here, so unknown ones pass quietly.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, logger: false });

/**
 * Parses and checks a definition as it is saved: the schemas are valid JSON Schema 2020-12 (the
 * input an object), every `{argument}` is an input property, secrets appear in headers only, and
 * retries are asked of idempotent methods only. Throws INVALID naming what is wrong.
 */
export function checkHttpTool(raw: unknown): HttpToolDefinition {
  const parsed = HttpToolDefinition.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new AppError("INVALID", `${issue?.path.join(".") || "definition"}: ${issue?.message}`);
  }
  const tool = parsed.data;
  schemaProblem("inputSchema", tool.inputSchema);
  if (tool.inputSchema.type !== "object")
    throw new AppError("INVALID", 'inputSchema: "type" must be "object"');
  if (tool.outputSchema) schemaProblem("outputSchema", tool.outputSchema);
  if (tool.retries > 0 && !IDEMPOTENT_METHODS.has(tool.request.method))
    throw new AppError("INVALID", `retries: a ${tool.request.method} is not idempotent; it is never retried`);
  const properties = new Set(Object.keys((tool.inputSchema.properties as object | undefined) ?? {}));
  for (const [where, text] of templatesOf(tool)) {
    for (const name of placeholdersOf(text)) {
      if (name.startsWith("secret:")) {
        if (!where.startsWith("request.headers"))
          throw new AppError("INVALID", `${where}: secrets go in headers only`);
      } else if (!properties.has(name)) {
        throw new AppError("INVALID", `${where}: {${name}} is not a property of inputSchema`);
      }
    }
  }
  return tool;
}

function schemaProblem(where: string, schema: Record<string, unknown>) {
  try {
    ajv.compile(schema);
  } catch (error) {
    throw new AppError("INVALID", `${where}: ${(error as Error).message}`);
  } finally {
    // Ajv keeps what it compiled, by schema: a process checking definitions all day must not.
    ajv.removeSchema(schema);
  }
}

function* templatesOf(tool: HttpToolDefinition): Generator<[string, string]> {
  yield ["request.url", tool.request.url];
  for (const [name, text] of Object.entries(tool.request.query)) yield [`request.query.${name}`, text];
  for (const [name, text] of Object.entries(tool.request.headers)) yield [`request.headers.${name}`, text];
  yield* stringsIn(tool.request.body, "request.body");
}

function* stringsIn(value: unknown, where: string): Generator<[string, string]> {
  if (typeof value === "string") yield [where, value];
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* stringsIn(item, `${where}.${i}`);
  else if (typeof value === "object" && value !== null)
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, `${where}.${key}`);
}
