import type { AppContext } from "@mcp-tools/core";
import { deleteSecret, listSecrets, SecretValue, setSecret } from "@mcp-tools/core/catalog";
import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { parseJsonBody } from "./validate.js";

export const SetSecretBody = z.object({ value: SecretValue }).strict();

/**
 * /api/secrets: the values HTTP tools send, by name. Write-only: the list has names and stamps,
 * and no route answers with a value. Admins only set and delete them.
 */
export function secretApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", async (c) => c.json({ secrets: await listSecrets(ctx) }));

  app.put("/:name", requireRole("admin"), async (c) => {
    const { value } = await parseJsonBody(c, SetSecretBody);
    const secret = await setSecret(ctx, c.req.param("name"), value, c.get("session").user.username);
    return c.json({ secret });
  });

  app.delete("/:name", requireRole("admin"), async (c) => {
    await deleteSecret(ctx, c.req.param("name"), c.get("session").user.username);
    return c.body(null, 204);
  });
  return app;
}
