import { z } from "@hono/zod-openapi";

// Hono hands a repeated query parameter over as an array; the first one counts, as c.req.query() has it.
const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/** A query parameter of `schema`. */
export const queryParam = <T extends z.ZodType>(schema: T) => z.preprocess(first, schema);

/** A query parameter of `schema`, trimmed; empty is absent (as a form with a blank field sends it). */
export const trimmedParam = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    const text = first(value);
    return typeof text === "string" ? text.trim() || undefined : text;
  }, schema);
