import {
  type AppContext,
  AppError,
  createUser,
  getUser,
  httpStatusOf,
  listUsers,
  Role,
  revokeUserSessions,
  updateUser,
} from "@mcp-tools/core";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { ConfirmStep } from "./confirm-step.js";
import { UsersPage, type UsersPageProps } from "./users-view.js";

/** /users: admins list, add and change people; the same core functions as /api/users. */
export function userPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.use(requireRole("admin"));

  const render = async (c: Context<AdminEnv>, props: Partial<UsersPageProps> = {}, status = 200) =>
    c.html(
      <UsersPage session={c.get("session")} users={await listUsers(ctx)} {...props} />,
      status as ContentfulStatusCode,
    );
  // A refused change re-renders the page with the reason instead of a bare JSON error.
  const refused = (c: Context<AdminEnv>, error: unknown, props: Partial<UsersPageProps> = {}) => {
    if (!(error instanceof AppError)) throw error;
    return render(c, { ...props, error: error.message }, httpStatusOf[error.code]);
  };

  app.get("/", (c) => render(c, { notice: noticeOf(c.req.query("done")) }));

  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const draft = { username: String(form.username ?? ""), role: String(form.role ?? "") };
    const role = Role.safeParse(draft.role);
    if (!role.success) return render(c, { draft, error: "Choose a role: admin, operator or viewer." }, 400);
    try {
      const actor = c.get("session").user.username;
      await createUser(ctx, actor, {
        username: draft.username,
        role: role.data,
        password: String(form.password ?? ""),
      });
    } catch (error) {
      return refused(c, error, { draft });
    }
    return c.redirect("/users?done=created", 303);
  });

  app.post("/:id/role", async (c) => {
    const role = Role.safeParse((await c.req.parseBody()).role);
    if (!role.success) return render(c, { error: "Choose a role: admin, operator or viewer." }, 400);
    try {
      await updateUser(ctx, c.get("session").user.username, c.req.param("id"), { role: role.data });
    } catch (error) {
      return refused(c, error);
    }
    return c.redirect("/users?done=role", 303);
  });

  app.get("/:id/revoke-sessions", async (c) => {
    const user = await getUser(ctx, c.req.param("id"));
    return c.html(
      <ConfirmStep
        session={c.get("session")}
        current="/users"
        cancel="/users"
        title="Sign out everywhere?"
        action={`/users/${user.id}/revoke-sessions`}
        button="Sign out everywhere"
      >
        Every session of <strong>{user.username}</strong> ends now; they must sign in again.
      </ConfirmStep>,
    );
  });

  app.post("/:id/revoke-sessions", async (c) => {
    try {
      await revokeUserSessions(ctx, c.get("session").user.username, c.req.param("id"));
    } catch (error) {
      return refused(c, error);
    }
    return c.redirect("/users?done=revoked", 303);
  });

  app.get("/:id/disable", async (c) => {
    const user = await getUser(ctx, c.req.param("id"));
    return c.html(
      <ConfirmStep
        session={c.get("session")}
        current="/users"
        cancel="/users"
        title="Disable user?"
        action={`/users/${user.id}/disable`}
        button="Disable"
      >
        <strong>{user.username}</strong> can no longer sign in, and their sessions end now.
      </ConfirmStep>,
    );
  });

  for (const [verb, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    app.post(`/:id/${verb}`, async (c) => {
      try {
        await updateUser(ctx, c.get("session").user.username, c.req.param("id"), { disabled });
      } catch (error) {
        return refused(c, error);
      }
      return c.redirect(`/users?done=${verb}d`, 303);
    });
  }

  return app;
}

function noticeOf(done: string | undefined): string | undefined {
  if (done === "created") return "User added.";
  if (done === "role") return "Role changed.";
  if (done === "revoked") return "Their sessions have ended.";
  if (done === "disabled") return "User disabled; their sessions have ended.";
  if (done === "enabled") return "User enabled.";
  return undefined;
}
