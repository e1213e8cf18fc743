import type { z } from "@hono/zod-openapi";
import { AppError, findMalformed } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";

// The media types Hono's validator reads as JSON: application/json and application/*+json.
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const isJsonType = (contentType: string) => JSON_TYPE.test(contentType.split(";")[0]?.trim() ?? "");

/**
 * Reads a route's JSON body before its schema does, and refuses it first, whatever its fields: a
 * body that is not JSON, and one holding a string or key that could not be stored or echoed as it
 * is (NUL, a lone surrogate) or nested too deeply, anywhere. Hono keeps the parsed body, so the
 * route's validator checks this same value. A body labelled as another media type is left to the
 * route's own media-type check (415).
 */
export function wellFormedBody(): MiddlewareHandler {
  return async function wellFormedBody(c, next) {
    const type = c.req.header("content-type");
    if (type !== undefined && !isJsonType(type)) return next();
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
    return next();
  };
}

/** A route's required JSON body, validated by `schema` (put `wellFormedBody()` in its middleware). */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
