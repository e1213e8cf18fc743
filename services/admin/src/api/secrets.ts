import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "@mcp-tools/core";
import { deleteSecret, listSecrets, SecretValue, setSecret } from "@mcp-tools/core/catalog";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { createApiApp } from "./api-app.js";
import { csrfHeader, failure, json, refused, unauthorized } from "./responses.js";
import { jsonBody, wellFormedBody } from "./well-formed-body.js";

export const SetSecretBody = z.strictObject({ value: SecretValue }).openapi("SetSecretBody");

const Secret = z.object({
  name: z.string(),
  updatedAt: z.string().openapi({ format: "date-time" }),
  updatedBy: z.string(),
});
// Core checks the name (letters, digits, _ . and -, at most 64): a bad one is refused on a set
// and not found on a delete.
const NameParam = z.object({ name: z.string().openapi({ description: "As `{secret:NAME}` refers to it" }) });

const list = createRoute({
  method: "get",
  path: "/",
  summary: "Every secret's name, and when and by whom it was last set (never a value)",
  responses: { 200: json(z.object({ secrets: z.array(Secret) }), "OK"), ...unauthorized },
});

const set = createRoute({
  method: "put",
  path: "/{name}",
  summary: "Set or replace a secret HTTP tools send by name (admin); write-only",
  middleware: [requireRole("admin"), wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: NameParam, body: jsonBody(SetSecretBody) },
  responses: {
    200: json(z.object({ secret: Secret }), "The secret's name and stamp"),
    ...refused,
    409: failure("SECRETS_KEY is not set"),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/{name}",
  summary: "Delete a secret (admin)",
  middleware: [requireRole("admin")] as const,
  parameters: [csrfHeader],
  request: { params: NameParam },
  responses: { 204: { description: "Deleted" }, ...refused, 404: failure("No such secret") },
});

/**
 * /api/secrets: the values HTTP tools send, by name. Write-only: the list has names and stamps,
 * and no route answers with a value. Admins only set and delete them.
 */
export function secretApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(list, async (c) => c.json({ secrets: await listSecrets(ctx) }, 200));

  app.openapi(set, async (c) => {
    const actor = c.get("session").user.username;
    const secret = await setSecret(ctx, c.req.valid("param").name, c.req.valid("json").value, actor);
    return c.json({ secret }, 200);
  });

  app.openapi(remove, async (c) => {
    await deleteSecret(ctx, c.req.valid("param").name, c.get("session").user.username);
    return c.body(null, 204);
  });
  return app;
}
