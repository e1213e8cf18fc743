import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { CreateKeyBody, createKeyFrom } from "../keys-create.js";
import { csrfHeader, json, named, refused } from "../responses.js";
import { jsonBody, wellFormedBody } from "../well-formed-body.js";
import { ApiKey } from "./schemas.js";

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Create an API key (operator, admin); the answer holds its secret, shown only this once",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { body: jsonBody(named(CreateKeyBody, "CreateKeyBody")) },
  responses: {
    201: json(
      z.object({
        key: ApiKey,
        secret: z.string().openapi({ description: "Send it as `Authorization: Bearer <secret>`" }),
      }),
      "Created; the secret is in this answer only",
    ),
    ...refused,
  },
});

/** POST /api/keys. */
export function registerCreateKey(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => {
    const created = await createKeyFrom(ctx, c.req.valid("json"), c.get("session").user.username);
    c.header("cache-control", "no-store");
    return c.json(created, 201);
  });
}
