import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type AppContext,
  AppError,
  listPromptEntries,
  malformation,
  PromptDefinition,
  promptHistory,
  rollbackPrompt,
  savePrompt,
  setPromptEnabled,
} from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { createApiApp } from "./api-app.js";
import { csrfHeader, failure, json, named, refused, unauthorized } from "./responses.js";
import { jsonBody, wellFormedBody } from "./well-formed-body.js";

/** PUT /api/prompts/:name: core's own definition schema, so the API takes exactly what core does. */
export const PromptBody = named(PromptDefinition, "PromptDefinition");

export const PromptEnabledBody = z.strictObject({ enabled: z.boolean() }).openapi("PromptEnabledBody");

export const PromptRollbackBody = z
  .strictObject({
    // A version is a PostgreSQL integer: past its range there is none to find.
    version: z.number().int().min(1).max(2_147_483_647).openapi({ description: "An earlier version" }),
  })
  .openapi("PromptRollbackBody");

const stamp = z.string().openapi({ format: "date-time" });
const PromptEntry = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    currentVersion: z.number().int(),
    updatedAt: stamp,
    updatedBy: z.string(),
    definition: PromptBody,
  })
  .openapi("PromptEntry");
const PromptVersion = z
  .object({ version: z.number().int(), definition: PromptBody, createdAt: stamp, createdBy: z.string() })
  .openapi("PromptVersion");

const NameParam = z.object({
  name: z.string().openapi({ description: "The name clients list and get the prompt by" }),
});

/** A name from a path: one no prompt could have (NUL, a lone surrogate) is not found, never queried. */
export function promptNameFrom(text: string): string {
  if (malformation(text)) throw new AppError("NOT_FOUND", "No prompt by that name");
  return text;
}

const list = createRoute({
  method: "get",
  path: "/",
  summary: "Every prompt of the library, enabled or not, with its current definition",
  responses: { 200: json(z.object({ prompts: z.array(PromptEntry) }), "By name"), ...unauthorized },
});

const read = createRoute({
  method: "get",
  path: "/{name}",
  summary: "One prompt and every version it has had, newest first",
  request: { params: NameParam },
  responses: {
    200: json(z.object({ prompt: PromptEntry, versions: z.array(PromptVersion) }), "The prompt"),
    ...unauthorized,
    404: failure("No such prompt"),
  },
});

const save = createRoute({
  method: "put",
  path: "/{name}",
  summary: "Save a definition as the prompt's next version; the first creates it (operator, admin)",
  description:
    "Every MCP client, on every replica, is told the prompt list changed. `{{argument}}` in a " +
    "message's text is where that argument's value goes; each must be one of `arguments`.",
  middleware: [requireRole("operator", "admin"), wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: NameParam, body: jsonBody(PromptBody) },
  responses: { 200: json(z.object({ prompt: PromptEntry }), "The prompt at its new version"), ...refused },
});

const enable = createRoute({
  method: "post",
  path: "/{name}/enabled",
  summary: "Serve the prompt to clients, or stop serving it; its versions stay (operator, admin)",
  middleware: [requireRole("operator", "admin"), wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: NameParam, body: jsonBody(PromptEnabledBody) },
  responses: {
    200: json(z.object({ prompt: PromptEntry }), "The prompt after the change"),
    ...refused,
    404: failure("No such prompt"),
  },
});

const rollback = createRoute({
  method: "post",
  path: "/{name}/rollback",
  summary: "Make a new version from an earlier one; history is never rewritten (operator, admin)",
  middleware: [requireRole("operator", "admin"), wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: NameParam, body: jsonBody(PromptRollbackBody) },
  responses: {
    200: json(z.object({ prompt: PromptEntry }), "The prompt at its new version"),
    ...refused,
    404: failure("No such prompt, or no such version of it"),
  },
});

/**
 * /api/prompts: the prompt library MCP clients list and get. Everyone reads it; operators and
 * admins change it, each change a new version recorded in the admin audit.
 */
export function promptApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(list, async (c) => c.json({ prompts: await listPromptEntries(ctx) }, 200));

  app.openapi(read, async (c) => {
    const name = promptNameFrom(c.req.valid("param").name);
    const versions = await promptHistory(ctx, name);
    const [prompt] = await listPromptEntries(ctx, name);
    if (!prompt) throw new AppError("NOT_FOUND", "No prompt by that name");
    return c.json({ prompt, versions }, 200);
  });

  app.openapi(save, async (c) => {
    const actor = c.get("session").user.username;
    const prompt = await savePrompt(ctx, actor, c.req.valid("param").name, c.req.valid("json"));
    return c.json({ prompt }, 200);
  });

  app.openapi(enable, async (c) => {
    const name = promptNameFrom(c.req.valid("param").name);
    const actor = c.get("session").user.username;
    const prompt = await setPromptEnabled(ctx, actor, name, c.req.valid("json").enabled);
    return c.json({ prompt }, 200);
  });

  app.openapi(rollback, async (c) => {
    const name = promptNameFrom(c.req.valid("param").name);
    const actor = c.get("session").user.username;
    const prompt = await rollbackPrompt(ctx, actor, name, c.req.valid("json").version);
    return c.json({ prompt }, 200);
  });
  return app;
}
