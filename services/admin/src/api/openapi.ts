import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../env.js";
import { OUTCOMES } from "./audit-filter.js";
import { ImportBody, PreviewImportBody, ProposeToolBody } from "./http-tools.js";
import { KeyPinsBody } from "./keys.js";
import { CreateKeyBody } from "./keys-create.js";
import { ChangePasswordBody, CreateUserBody, UpdateUserBody } from "./schemas.js";
import { SetSecretBody } from "./secrets.js";
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
const nameParam = { name: "name", in: "path", required: true, schema: { type: "string" } };
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
        SetSecretBody: bodySchema(SetSecretBody),
        KeyPinsBody: bodySchema(KeyPinsBody),
        ProposeToolBody: bodySchema(ProposeToolBody),
        PreviewImportBody: bodySchema(PreviewImportBody),
        ImportBody: bodySchema(ImportBody),
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

      "/api/keys/{id}/pins": {
        put: {
          summary: "Pin a key to tool versions: tool name → version hash, {} to unpin (operator, admin)",
          parameters: [idParam, csrfHeader],
          requestBody: { required: true, content: json(ref("KeyPinsBody")) },
          responses: { "200": { description: "The key" }, ...refused, "404": error("No such key") },
        },
      },
      "/api/secrets": {
        get: {
          summary: "Every secret's name, and when and by whom it was last set (never a value)",
          responses: { "200": { description: "OK" }, "401": refused["401"] },
        },
      },
      "/api/secrets/{name}": {
        put: {
          summary: "Set or replace a secret HTTP tools send by name (admin); write-only",
          parameters: [nameParam, csrfHeader],
          requestBody: { required: true, content: json(ref("SetSecretBody")) },
          responses: {
            "200": { description: "The secret's name and stamp" },
            ...refused,
            "409": error("SECRETS_KEY is not set"),
          },
        },
        delete: {
          summary: "Delete a secret (admin)",
          parameters: [nameParam, csrfHeader],
          responses: { "204": { description: "Deleted" }, ...refused, "404": error("No such secret") },
        },
      },
      "/api/http-tools": {
        post: {
          summary: "Define a new HTTP tool: a pending version until an admin approves it (operator, admin)",
          parameters: [csrfHeader],
          requestBody: { required: true, content: json(ref("ProposeToolBody")) },
          responses: {
            "201": { description: "The pending version, and its schema's portability issues" },
            ...refused,
            "409": error("Another tool has that name"),
          },
        },
      },
      "/api/http-tools/{toolId}": {
        put: {
          summary: "Propose a new definition for an HTTP tool; clients keep the approved one until then",
          parameters: [
            { name: "toolId", in: "path", required: true, schema: { type: "string" } },
            csrfHeader,
          ],
          requestBody: { required: true, content: json(ref("ProposeToolBody")) },
          responses: {
            "200": { description: "The pending version" },
            ...refused,
            "404": error("No such tool"),
          },
        },
      },
      "/api/tool-versions": {
        get: {
          summary: "Tool versions: one tool's (toolId), or every one with a status (pending by default)",
          parameters: [
            { name: "toolId", in: "query", schema: { type: "string" } },
            {
              name: "status",
              in: "query",
              schema: { type: "string", enum: ["pending", "approved", "superseded", "rejected"] },
            },
          ],
          responses: { "200": { description: "OK" }, "400": refused["400"], "401": refused["401"] },
        },
      },
      "/api/tool-versions/{id}/approve": {
        post: {
          summary: "Approve a pending version (admin): every replica's clients get it within a second",
          parameters: [idParam, csrfHeader],
          responses: {
            "200": { description: "The approved version" },
            ...refused,
            "404": error("No such version"),
            "409": error("Not pending"),
          },
        },
      },
      "/api/tool-versions/{id}/reject": {
        post: {
          summary: "Reject a pending version (admin)",
          parameters: [idParam, csrfHeader],
          responses: {
            "200": { description: "The rejected version" },
            ...refused,
            "404": error("No such version"),
            "409": error("Not pending"),
          },
        },
      },
      "/api/openapi-import/preview": {
        post: {
          summary:
            "Read an OpenAPI 3.0/3.1 document (JSON or YAML, given or by URL) and show the tools it would become",
          parameters: [csrfHeader],
          requestBody: { required: true, content: json(ref("PreviewImportBody")) },
          responses: {
            "200": { description: "Each operation, its tool or why not, and portability issues" },
            ...refused,
          },
        },
      },
      "/api/openapi-import": {
        post: {
          summary: "Propose the chosen operations of a document as HTTP tools (pending versions)",
          parameters: [csrfHeader],
          requestBody: { required: true, content: json(ref("ImportBody")) },
          responses: {
            "201": { description: "The pending versions" },
            ...refused,
            "409": error("A tool name is taken"),
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
