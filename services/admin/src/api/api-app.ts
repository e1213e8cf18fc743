import { OpenAPIHono } from "@hono/zod-openapi";
import type { AdminEnv } from "../env.js";
import { refuseInvalid } from "./invalid-input.js";

/** A sub-app of /api: its routes are declared with `createRoute`, and refused input is a 400 AppError. */
export function createApiApp(): OpenAPIHono<AdminEnv> {
  return new OpenAPIHono<AdminEnv>({ defaultHook: refuseInvalid });
}
