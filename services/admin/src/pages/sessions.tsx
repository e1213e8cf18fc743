import { type AppContext, getSession, listSessions, terminateSession } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { ConfirmStep } from "./confirm-step.js";
import { SessionsPage } from "./sessions-view.js";

/** /sessions: the open MCP sessions of every process; operators and admins may end one. */
export function sessionPages(ctx: AppContext, { now = () => new Date() }: { now?: () => Date } = {}) {
  const app = new Hono<AdminEnv>();

  app.get("/", async (c) => {
    const notice = c.req.query("done") === "terminated" ? "The session is being ended." : undefined;
    const sessions = await listSessions(ctx.bus);
    return c.html(
      <SessionsPage session={c.get("session")} sessions={sessions} now={now()} notice={notice} />,
    );
  });

  app.get("/:id/terminate", requireRole("operator", "admin"), async (c) => {
    const target = await getSession(ctx.bus, c.req.param("id"));
    return c.html(
      <ConfirmStep
        session={c.get("session")}
        title="End this session?"
        current="/sessions"
        action={`/sessions/${target.id}/terminate`}
        button="End session"
        cancel="/sessions"
      >
        The {target.transport} session <code>{target.id}</code> of <strong>{target.principal}</strong> on{" "}
        {target.host} ends now; its client must connect again.
      </ConfirmStep>,
    );
  });

  app.post("/:id/terminate", requireRole("operator", "admin"), async (c) => {
    await terminateSession(ctx, c.get("session").user.username, c.req.param("id"));
    return c.redirect("/sessions?done=terminated", 303);
  });

  return app;
}
