import { type AppContext, cancelTask, listTasks } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { TasksPage } from "./tasks-view.js";

const notices: Record<string, string> = {
  cancelled: "The task was cancelled; its caller reads it as cancelled from now on.",
  ended: "The task had already ended: nothing was changed.",
};

/** /tasks: tool calls running as tasks (the same verbs as /api/tasks); operators and admins cancel them. */
export function taskPages(ctx: AppContext, { now = () => new Date() }: { now?: () => Date } = {}) {
  const app = new Hono<AdminEnv>();

  app.get("/", async (c) => {
    const notice = notices[c.req.query("done") ?? ""];
    return c.html(
      <TasksPage session={c.get("session")} tasks={await listTasks(ctx)} now={now()} notice={notice} />,
    );
  });

  app.post("/:id/cancel", requireRole("operator", "admin"), async (c) => {
    const { alreadyEnded } = await cancelTask(ctx, c.get("session").user.username, c.req.param("id"));
    return c.redirect(`/tasks?done=${alreadyEnded ? "ended" : "cancelled"}`, 303);
  });
  return app;
}
