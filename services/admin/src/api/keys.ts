import { type AppContext, listApiKeys, revokeApiKey, setKeyPins } from "@mcp-tools/core";
import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../env.js";
import { CreateKeyBody, createKeyFrom } from "./keys-create.js";
import { parseJsonBody } from "./validate.js";

export const KeyPinsBody = z.object({ pins: z.record(z.string().max(64), z.string().max(64)) }).strict();

/**
 * /api/keys: list, create (the secret is in this one answer only), revoke MCP API keys, and pin a
 * key to tool versions (it keeps them whatever is approved after).
 */
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

  app.put("/:id/pins", async (c) => {
    const { pins } = await parseJsonBody(c, KeyPinsBody);
    const key = await setKeyPins(ctx, c.req.param("id"), pins, c.get("session").user.username);
    return c.json({ key });
  });
  return app;
}
