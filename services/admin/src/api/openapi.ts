import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../env.js";
import { CreateUserBody, UpdateUserBody } from "./schemas.js";

// Request bodies come from the same zod schemas that validate them, so the document cannot drift.
const bodySchema = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input" });
  return rest;
};

const json = (schema: unknown) => ({ "application/json": { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const csrfHeader = { name: "X-CSRF-Token", in: "header", required: true, schema: { type: "string" } };
const refused = {
  "400": error("A field is missing, unknown or of the wrong type; the message names it"),
  "401": error("No valid session"),
  "403": error("Wrong role, missing CSRF token or foreign Origin"),
};

/** The OpenAPI 3.1 document for /api; built once. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "mcp-tools admin API",
      version: "1",
      description:
        "Sign in through /login; the session cookie authenticates. State-changing requests send the " +
        "session's CSRF token (from GET /api/me) as X-CSRF-Token.",
    },
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "admin_session" } },
      schemas: {
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
              required: ["code", "message"],
            },
          },
          required: ["error"],
        },
        User: {
          type: "object",
          properties: {
            id: { type: "string", format: "uuid" },
            username: { type: "string" },
            role: { type: "string", enum: ["admin", "operator", "viewer"] },
            disabled: { type: "boolean" },
            setupPending: { type: "boolean" },
            lockedUntil: { type: ["string", "null"], format: "date-time" },
            createdAt: { type: "string", format: "date-time" },
          },
          required: ["id", "username", "role", "disabled", "setupPending", "lockedUntil", "createdAt"],
        },
        CreateUserBody: bodySchema(CreateUserBody),
        UpdateUserBody: bodySchema(UpdateUserBody),
      },
    },
    security: [{ session: [] }],
    paths: {
      "/api/me": {
        get: {
          summary: "The signed-in person and their CSRF token",
          responses: { "200": { description: "Signed in" }, "401": refused["401"] },
        },
      },
      "/api/tools": {
        get: {
          summary: "Every tool with its schemas and annotations",
          responses: { "200": { description: "OK" } },
        },
      },
      "/api/users": {
        get: {
          summary: "List users (admin)",
          responses: {
            "200": {
              description: "OK",
              content: json({ type: "object", properties: { users: { type: "array", items: ref("User") } } }),
            },
            ...refused,
          },
        },
        post: {
          summary: "Add a user (admin)",
          parameters: [csrfHeader],
          requestBody: { required: true, content: json(ref("CreateUserBody")) },
          responses: {
            "201": {
              description: "Created",
              content: json({ type: "object", properties: { user: ref("User") } }),
            },
            ...refused,
            "409": error("The username is taken"),
          },
        },
      },
      "/api/users/{id}": {
        patch: {
          summary: "Change a user's role or disable them (admin)",
          parameters: [idParam, csrfHeader],
          requestBody: { required: true, content: json(ref("UpdateUserBody")) },
          responses: {
            "200": {
              description: "Updated",
              content: json({ type: "object", properties: { user: ref("User") } }),
            },
            ...refused,
            "404": error("No such user"),
            "409": error("Would leave no enabled admin"),
          },
        },
      },
      "/api/users/{id}/revoke-sessions": {
        post: {
          summary: "Sign a user out everywhere (admin)",
          parameters: [idParam, csrfHeader],
          responses: {
            "200": {
              description: "How many sessions ended",
              content: json({ type: "object", properties: { revoked: { type: "integer" } } }),
            },
            ...refused,
            "404": error("No such user"),
          },
        },
      },
    },
  };
}

/** GET /api/openapi.json. */
export function openApiRoutes(): Hono<AdminEnv> {
  const document = openApiDocument();
  const app = new Hono<AdminEnv>();
  app.get("/", (c) => c.json(document));
  return app;
}
