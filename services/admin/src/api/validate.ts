import { AppError, findMalformed } from "@mcp-tools/core";
import type { Context } from "hono";
import type { z } from "zod";

/**
 * Parses a JSON body with a strict schema; 400 naming the first bad or unknown field. A string or
 * key that could not be stored or echoed as it is (NUL, a lone surrogate) is refused first, anywhere.
 */
export async function parseJsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError("INVALID", "The body must be a JSON object");
  }
  const malformed = findMalformed(body);
  if (malformed) {
    const field = malformed.path || "body";
    throw new AppError("INVALID", `${field}: ${malformed.reason}`, { details: { field } });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  if (!issue) throw new AppError("INVALID", "Invalid body");
  if (issue.code === "unrecognized_keys") {
    const field = issue.keys[0] ?? "";
    throw new AppError("INVALID", `Unknown field "${field}"`, { details: { field } });
  }
  const field = issue.path.join(".");
  if (!field) throw new AppError("INVALID", `The body must be a JSON object: ${issue.message}`);
  throw new AppError("INVALID", `${field}: ${issue.message}`, { details: { field } });
}
