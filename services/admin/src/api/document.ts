import type { OpenAPIHono } from "@hono/zod-openapi";
import type { BlankSchema } from "hono/types";
import type { AdminEnv } from "../env.js";
import { SESSION_COOKIE } from "../middleware/cookie.js";

const documentHead = {
  openapi: "3.1.0",
  info: {
    title: "mcp-tools admin API",
    version: "1",
    description:
      "Sign in through /login; the session cookie authenticates. State-changing requests send the " +
      "session's CSRF token (from GET /api/me) as X-CSRF-Token.",
  },
  security: [{ session: [] }],
};

/**
 * GET /openapi.json on `api`: the OpenAPI 3.1 document of every route declared on it (and on the
 * sub-apps routed into it), generated from the same schemas that validate, once, on first request.
 */
export function registerOpenApiDocument<B extends string>(api: OpenAPIHono<AdminEnv, BlankSchema, B>): void {
  const registry = api.openAPIRegistry;
  registry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
  });
  registry.registerComponent("parameters", "CsrfToken", {
    name: "X-CSRF-Token",
    in: "header",
    required: true,
    schema: { type: "string" },
    description: "The session's CSRF token, from GET /api/me",
  });
  let document: unknown;
  api.get("/openapi.json", (c) => {
    document ??= plainPatterns(api.getOpenAPI31Document(documentHead));
    return c.json(document);
  });
}

// zod-to-openapi writes a regex with flags as "source/flags" (Username's /…/u), which is no pattern
// at all: a source never holds an unescaped "/", so one followed by flags to the end is that suffix.
const FLAGS_SUFFIX = /(?<!\\)\/[dgimsuvy]+$/;

function plainPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plainPatterns);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "pattern" && typeof value === "string" ? value.replace(FLAGS_SUFFIX, "") : plainPatterns(value),
    ]),
  );
}
