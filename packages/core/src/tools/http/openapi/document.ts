import { compileErrors, dereference, validate } from "@readme/openapi-parser";
import { parse as parseYaml } from "yaml";
import { AppError } from "../../../errors.js";

/** The largest document taken, as text: GitHub's own REST description is some 12 MB. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

/** An OpenAPI 3.0 or 3.1 document, checked and with every internal `$ref` resolved. */
export interface OpenApiDocument {
  openapi: string;
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: { securitySchemes?: Record<string, Record<string, unknown>> };
  security?: Record<string, string[]>[];
}

/**
 * Reads a document people upload or point at (JSON or YAML), checks it against the OpenAPI
 * schema, and resolves its `$ref`s with @readme/openapi-parser. Only references inside the
 * document are followed: an external one (a file, a URL) would let a document read the server's
 * disk or network. Circular references stay as `$ref`s, for the tool schemas to cut (schemas.ts).
 * A broken document is refused with the parser's account of where it is broken.
 */
export async function readOpenApi(text: string): Promise<OpenApiDocument> {
  if (Buffer.byteLength(text, "utf8") > MAX_DOCUMENT_BYTES)
    throw new AppError("INVALID", `The document is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  let raw: unknown;
  try {
    // YAML 1.2 reads JSON too; aliases are bounded by the library (no billion laughs).
    raw = parseYaml(text, { maxAliasCount: 1_000 });
  } catch (error) {
    throw new AppError("INVALID", `The document is neither JSON nor YAML: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new AppError("INVALID", "The document is not an OpenAPI object");
  const version = (raw as { openapi?: unknown }).openapi;
  if (typeof version !== "string" || !/^3\.[01]\./.test(version))
    throw new AppError(
      "INVALID",
      `Only OpenAPI 3.0 and 3.1 are read; this document says openapi: ${JSON.stringify(version ?? null)}`,
    );
  const options = {
    resolve: { external: false, file: false },
    dereference: { circular: "ignore" as const },
    validate: { errors: { colorize: false } },
  };
  const checked = await validate(structuredClone(raw) as never, options).catch((error: unknown) => {
    throw new AppError("INVALID", `The document could not be read: ${(error as Error).message}`);
  });
  if (!checked.valid) throw new AppError("INVALID", compileErrors(checked).slice(0, 4_000));
  return (await dereference(raw as never, options)) as unknown as OpenApiDocument;
}
