import type { Hook } from "@hono/zod-openapi";
import { AppError } from "@mcp-tools/core";
import type { z } from "zod";
import type { AdminEnv } from "../env.js";

/**
 * The 400 for input a schema refused, as the API has always answered it: the first issue only,
 * `field: message` with `details.field`, or `Unknown field "x"` (the body schemas are strict).
 */
export function invalidInput(error: z.ZodError): AppError {
  const [issue] = error.issues;
  if (!issue) return new AppError("INVALID", "Invalid input");
  if (issue.code === "unrecognized_keys") {
    const field = issue.keys[0] ?? "";
    return new AppError("INVALID", `Unknown field "${field}"`, { details: { field } });
  }
  const field = issue.path.map(String).join(".");
  if (!field) return new AppError("INVALID", `The body must be a JSON object: ${issue.message}`);
  return new AppError("INVALID", `${field}: ${issue.message}`, { details: { field } });
}

/**
 * Every route's validation hook: a request its schemas refuse becomes an AppError, which the
 * admin app's onError answers in the same `{ error }` shape as every other failure.
 */
export const refuseInvalid: Hook<unknown, AdminEnv, string, undefined> = (result) => {
  if (!result.success) throw invalidInput(result.error);
};
