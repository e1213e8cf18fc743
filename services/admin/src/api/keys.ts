import { type AppContext, listApiKeys, revokeApiKey } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { CreateKeyBody, createKeyFrom } from "./keys-create.js";
import { parseJsonBody } from "./validate.js";

/** /api/keys: list, create (the secret is in this one answer only) and revoke MCP API keys. */
export function keyApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", async (c) => c.json({ keys: await listApiKeys(ctx.db.db) }));

  app.post("/", async (c) => {
    const body = await parseJsonBody(c, CreateKeyBody);
    const created = await createKeyFrom(ctx, body, c.get("session").user.username);
    c.header("cache-control", "no-store");
    return c.json(created, 201);
  });

  app.post("/:id/revoke", async (c) => {
    const key = await revokeApiKey(
      { db: ctx.db.db, bus: ctx.bus },
      c.req.param("id"),
      c.get("session").user.username,
    );
    return c.json({ key });
  });
  return app;
}
