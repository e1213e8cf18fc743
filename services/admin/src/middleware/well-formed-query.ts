import { AppError, malformation } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";

/**
 * 400 naming the parameter for a query string value that could not be stored or echoed as it is:
 * a `%00` reaches PostgreSQL as a NUL it refuses, which would otherwise be a 500.
 */
export function wellFormedQuery(): MiddlewareHandler {
  return async function wellFormedQuery(c, next) {
    if (!c.req.url.includes("?")) return next();
    for (const [name, values] of Object.entries(c.req.queries())) {
      const reason = [name, ...values].map(malformation).find(Boolean);
      if (reason) throw new AppError("INVALID", `${name}: ${reason}`, { details: { field: name } });
    }
    return next();
  };
}
