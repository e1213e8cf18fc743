import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, cancelTask, listTasks, TASK_STATUSES } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { createApiApp } from "./api-app.js";
import { csrfHeader, failure, IdParam, json, refused, unauthorized } from "./responses.js";

const stamp = z.string().openapi({ format: "date-time" });

const Task = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    tool: z.string(),
    principal: z.string().openapi({ description: "Who started it, as the audit log names callers" }),
    status: z.enum(TASK_STATUSES),
    statusMessage: z.string().nullable(),
    createdAt: stamp,
    updatedAt: stamp,
    expiresAt: stamp.openapi({ description: "When it is deleted, ended or not" }),
    owner: z.string().openapi({ description: "The process running it, as presence names processes" }),
  })
  .openapi("Task");

const list = createRoute({
  method: "get",
  path: "/",
  summary:
    "Tool calls running as tasks, and those ended and not yet expired: running first, newest change first",
  description:
    "At most 200. A task still marked running whose process has stopped is shown failed, as its caller " +
    "would read it.",
  responses: { 200: json(z.object({ tasks: z.array(Task) }), "OK"), ...unauthorized },
});

const cancel = createRoute({
  method: "post",
  path: "/{id}/cancel",
  summary: "Cancel a task, whoever started it (operator, admin); an ended task is left as it is",
  middleware: [requireRole("operator", "admin")] as const,
  parameters: [csrfHeader],
  request: { params: IdParam("The task's id") },
  responses: {
    200: json(
      z.object({
        task: Task,
        alreadyEnded: z.boolean().openapi({ description: "True when it had ended: nothing was changed" }),
        message: z.string(),
      }),
      "The task after the cancel",
    ),
    ...refused,
    404: failure("No such task, or it has expired"),
  },
});

/** /api/tasks: every caller's tasks; operators and admins may cancel one, recorded in the admin audit. */
export function taskApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(list, async (c) => c.json({ tasks: await listTasks(ctx) }, 200));

  app.openapi(cancel, async (c) => {
    const actor = c.get("session").user.username;
    const { task, alreadyEnded } = await cancelTask(ctx, actor, c.req.valid("param").id);
    const message = alreadyEnded ? `The task had already ended (${task.status})` : "The task was cancelled";
    return c.json({ task, alreadyEnded, message }, 200);
  });
  return app;
}
