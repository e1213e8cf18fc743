import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type AppContext, updateUser } from "@mcp-tools/core";
import type { AdminEnv } from "../../env.js";
import { csrfHeader, failure, IdParam, json, refused } from "../responses.js";
import { jsonBody, wellFormedBody } from "../well-formed-body.js";
import { UpdateUserBody, UserResponse } from "./schemas.js";

const route = createRoute({
  method: "patch",
  path: "/{id}",
  summary: "Change a user's role or disable them (admin)",
  middleware: [wellFormedBody()] as const,
  parameters: [csrfHeader],
  request: { params: IdParam("The user's id"), body: jsonBody(UpdateUserBody) },
  responses: {
    200: json(UserResponse, "Updated"),
    ...refused,
    404: failure("No such user"),
    409: failure("Would leave no enabled admin"),
  },
});

/** PATCH /api/users/:id. */
export function registerUpdateUser(app: OpenAPIHono<AdminEnv>, ctx: AppContext): void {
  app.openapi(route, async (c) => {
    const actor = c.get("session").user.username;
    const user = await updateUser(ctx, actor, c.req.valid("param").id, c.req.valid("json"));
    return c.json({ user }, 200);
  });
}
