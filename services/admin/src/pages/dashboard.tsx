import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { Layout } from "./layout.js";

/** GET /: the landing page after sign-in. */
export function dashboardPages(): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/", (c) => {
    const session = c.get("session");
    return c.html(
      <Layout title="Dashboard" session={session} current="/">
        <h1>Dashboard</h1>
        <div class="panel">
          <p>
            Signed in as <strong>{session.user.username}</strong> ({session.user.role}).
          </p>
          <p class="muted">Tool, key, audit and session views will appear here.</p>
        </div>
      </Layout>,
    );
  });
  return app;
}
