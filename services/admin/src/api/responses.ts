import { z } from "@hono/zod-openapi";

/** Every failure's body, as the admin app's onError writes it. */
export const ErrorBody = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi("Error");

/** A JSON response of `schema`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** An error response: `{ error: { code, message, details? } }`. */
export const failure = (description: string) => json(ErrorBody, description);

export const unauthorized = { 401: failure("No valid session") };
/** What any route refuses before it runs: a bad field, no session, the wrong role or no CSRF token. */
export const refused = {
  400: failure("A field is missing, unknown or of the wrong type; the message names it"),
  ...unauthorized,
  403: failure("Wrong role, missing CSRF token or foreign Origin"),
};

/**
 * The header every state-changing request carries. Documented only: the csrf middleware checks it
 * (or a form's `_csrf`) for the whole app before any route runs.
 */
export const csrfHeader = { $ref: "#/components/parameters/CsrfToken" };

/** A path parameter naming a row; anything else is simply not found (404), as core answers. */
export const IdParam = (description: string) =>
  z.object({ id: z.string().openapi({ description, format: "uuid" }) });

/**
 * `schema` as the document's component `name`. Named on a copy: zod gives `.openapi()` only to
 * schemas made after @hono/zod-openapi loaded, and core's schemas are made before.
 */
export const named = <T extends z.ZodType>(schema: T, name: string): T => schema.clone().openapi(name);
