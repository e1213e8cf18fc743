import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../env.js";
import { OUTCOMES } from "./audit-filter.js";
import { CreateKeyBody } from "./keys-create.js";
import { ChangePasswordBody, CreateUserBody, UpdateUserBody } from "./schemas.js";
import { ToolPatchBody } from "./tools.js";

// Request bodies come from the same zod schemas that validate them, so the document cannot drift.
const bodySchema = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input" });
  return rest;
};

const json = (schema: unknown) => ({ "application/json": { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const beforeParam = {
  name: "before",
  in: "query",
  schema: { type: "integer" },
  description: "The `next` of the previous page",
};
const sessionParam = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string" },
  description: "The session's id as GET /api/sessions lists it",
};
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
        ToolPatchBody: bodySchema(ToolPatchBody),
        CreateKeyBody: bodySchema(CreateKeyBody),
        ChangePasswordBody: bodySchema(ChangePasswordBody),
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
      "/api/me/password": {
        post: {
          summary: "Change your own password (any role); every other session of yours ends",
          parameters: [csrfHeader],
          requestBody: { required: true, content: json(ref("ChangePasswordBody")) },
          responses: {
            "200": {
              description: "Changed; this session stays signed in",
              content: json({ type: "object", properties: { otherSessionsEnded: { type: "integer" } } }),
            },
            ...refused,
            "429": error("Too many wrong current passwords from this address; see Retry-After"),
            "503": error("Password checks are busy, or the change could not be recorded; see Retry-After"),
          },
        },
      },
      "/api/tools": {
        get: {
          summary: "Every tool with its schemas, annotations, settings and last-hour stats",
          description:
            "Each tool is its MCP descriptor plus `settings` (enabled, descriptionOverride, " +
            "rateLimitPerMinute, updatedAt, updatedBy) and `stats` (calls, errorRate, p95Ms over the last hour).",
          responses: { "200": { description: "OK" }, "401": refused["401"] },
        },
      },
      "/api/tools/{name}": {
        patch: {
          summary: "Enable or disable a tool, override its description, set its rate limit (operator, admin)",
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }, csrfHeader],
          requestBody: { required: true, content: json(ref("ToolPatchBody")) },
          responses: {
            "200": { description: "The tool's settings after the change" },
            ...refused,
            "404": error("No such tool"),
          },
        },
      },
      "/api/keys": {
        get: {
          summary: "Every API key, newest first, without secrets",
          responses: { "200": { description: "OK" }, "401": refused["401"] },
        },
        post: {
          summary: "Create an API key (operator, admin); the answer holds its secret, shown only this once",
          parameters: [csrfHeader],
          requestBody: { required: true, content: json(ref("CreateKeyBody")) },
          responses: {
            "201": {
              description: "Created: `{ key, secret }`; send the secret as `Authorization: Bearer <secret>`",
            },
            ...refused,
          },
        },
      },
      "/api/keys/{id}/revoke": {
        post: {
          summary: "Revoke an API key (operator, admin); revoking a revoked key changes nothing",
          parameters: [idParam, csrfHeader],
          responses: { "200": { description: "The key, revoked" }, ...refused, "404": error("No such key") },
        },
      },
      "/api/audit": {
        get: {
          summary: "Tool calls, newest first, 50 a page",
          parameters: [
            { name: "tool", in: "query", schema: { type: "string" } },
            {
              name: "principal",
              in: "query",
              schema: { type: "string" },
              description: "e.g. user:ann, key:<prefix>",
            },
            { name: "outcome", in: "query", schema: { type: "string", enum: [...OUTCOMES] } },
            { name: "from", in: "query", schema: { type: "string", format: "date-time" } },
            { name: "to", in: "query", schema: { type: "string", format: "date-time" } },
            beforeParam,
          ],
          responses: {
            "200": { description: "`{ calls, next }`; pass `next` as `before` for the following page" },
            ...refused,
          },
        },
      },
      "/api/audit/admin": {
        get: {
          summary: "Admin actions (who changed which tool, key or user), newest first, 50 a page",
          parameters: [beforeParam],
          responses: { "200": { description: "`{ actions, next }`" }, ...refused },
        },
      },
      "/api/dashboard": {
        get: {
          summary: "Health of the database and bus, processes online, sessions, call rates, audit queues",
          description:
            "`checks` (name, ok, latencyMs, problem), `processes` (each process's presence record without " +
            "its session list), `sessions` (open sessions by transport, all processes), `calls` (per minute " +
            "over the last 15 minutes, with errors and errorRate; null when the database did not answer), " +
            "`audit` (queue depth and dropped records, summed).",
          responses: { "200": { description: "OK" }, "401": refused["401"] },
        },
      },
      "/api/sessions": {
        get: {
          summary: "Open MCP sessions of every process, most recently active first",
          description:
            "`{ sessions }`, each with id (a hash of the session id, never the id itself), transport, " +
            "principal, startedAt, lastActivityAt, terminable and the process holding it.",
          responses: { "200": { description: "OK" }, "401": refused["401"] },
        },
      },
      "/api/sessions/{id}/terminate": {
        post: {
          summary: "End an MCP session (operator, admin); the process holding it closes it within moments",
          parameters: [sessionParam, csrfHeader],
          responses: {
            "202": { description: "`{ terminating: { id, transport, processId } }`" },
            ...refused,
            "404": error("No open session with this id"),
            "409": error("A stdio session, which ends only when its client closes it"),
          },
        },
      },
      "/api/notes": {
        get: {
          summary: "Notes newest first, or full-text matches of q best first, a page at a time",
          parameters: [
            {
              name: "q",
              in: "query",
              schema: { type: "string" },
              description: 'e.g. postgres "pool" -mysql',
            },
            { name: "tag", in: "query", schema: { type: "string" } },
            {
              name: "cursor",
              in: "query",
              schema: { type: "string" },
              description: "nextCursor of the previous page",
            },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 100, default: 25 },
            },
          ],
          responses: {
            "200": {
              description:
                "`{ notes, nextCursor }`; each note without its body, with an excerpt (matches in **bold**)",
            },
            ...refused,
          },
        },
      },
      "/api/notes/{id}": {
        get: {
          summary: "One whole note",
          parameters: [idParam],
          responses: {
            "200": { description: "`{ note }`" },
            "401": refused["401"],
            "404": error("No such note"),
          },
        },
        delete: {
          summary: "Delete a note for every client (operator, admin); recorded in the admin audit",
          parameters: [idParam, csrfHeader],
          responses: {
            "200": { description: "`{ deleted: { id, title } }`" },
            ...refused,
            "404": error("No such note"),
          },
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
