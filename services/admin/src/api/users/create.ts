import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type AppContext, createUser } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { csrfHeader, failure, json, refused } from "../responses.js";
import { jsonBody, wellFormedBody } from "../well-formed-body.js";
import { CreateUserBody, UserResponse } from "./schemas.js";

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Add a user (admin)",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { body: jsonBody(CreateUserBody) },
  responses: { 201: json(UserResponse, "Created"), ...refused, 409: failure("The username is taken") },
});

/** POST /api/users. */
export function registerCreateUser(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => {
    const user = await createUser(ctx, c.get("session").user.username, c.req.valid("json"));
    return c.json({ user }, 201);
  });
}
