import { type AppContext, createPasswordGate, type PasswordGate } from "@mcp-tools/core";
import { createServiceApp, type PortSource } from "@mcp-tools/http";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createAdminApi } from "./api/admin-api.js";
import { appCss } from "./assets/app-css.js";
import { createProxyTrust } from "./client-address.js";
import { type AdminEnv, PUBLIC_PATHS } from "./env.js";
import { csrf } from "./middleware/csrf.js";
import { readOnlyRoles } from "./middleware/require-role.js";
import { requireSession } from "./middleware/require-session.js";
import { securityHeaders } from "./middleware/security-headers.js";
import { smallForm } from "./middleware/small-form.js";
import { wellFormedQuery } from "./middleware/well-formed-query.js";
import { accountPages } from "./pages/account.js";
import { auditPages } from "./pages/audit.js";
import { dashboardPages } from "./pages/dashboard.js";
import { adminErrorHandler, adminNotFound } from "./pages/error-page.js";
import { keyPages } from "./pages/keys.js";
import { loginPages } from "./pages/login.js";
import { notePages } from "./pages/notes.js";
import { promptPages } from "./pages/prompts.js";
import { secretPages } from "./pages/secrets.js";
import { sessionPages } from "./pages/sessions.js";
import { setupPages } from "./pages/setup.js";
import { taskPages } from "./pages/tasks.js";
import { toolChangePages } from "./pages/tool-changes.js";
import { toolPages } from "./pages/tools.js";
import { toolImportPages } from "./pages/tools-import.js";
import { userPages } from "./pages/users.js";

export interface AdminAppOptions {
  /** The interface bound, when not HOST. */
  host?: string;
  /** The port actually listened on, when it is only known after listening (port 0 in tests). */
  port?: PortSource;
  /** The client's address, for the sign-in limits; by default as TRUSTED_PROXIES allows (`createProxyTrust`). */
  clientIp?: (c: Context) => string;
  /** The clock sessions and sign-in limits are checked against. */
  now?: () => Date;
  /** Where passwords are hashed, a bounded number at a time; one per app by default. */
  passwords?: PasswordGate;
}

/**
 * The admin service on ADMIN_PORT: server-rendered pages for people and a JSON API under /api,
 * both behind a session except PUBLIC_PATHS, both calling the same core functions.
 */
export function createAdminApp(
  ctx: AppContext,
  {
    host,
    port = ctx.config.ADMIN_PORT,
    clientIp,
    now,
    passwords = createPasswordGate({
      concurrency: ctx.config.LOGIN_HASH_CONCURRENCY,
      queue: ctx.config.LOGIN_HASH_QUEUE,
    }),
  }: AdminAppOptions = {},
): Hono<AdminEnv> {
  const proxies = createProxyTrust(ctx.config.TRUSTED_PROXIES);
  // Everything that checks a password: the address it counts against, the gate, the clock.
  const signIn = { clientIp: clientIp ?? proxies.clientIp, passwords, now };
  const app = createServiceApp<AdminEnv>(ctx, { host, port, first: [securityHeaders()] });
  app.onError(adminErrorHandler({ log: ctx.log }));
  app.notFound(adminNotFound());
  // Forms and JSON here are small; nothing reads a body larger than MAX_BODY_BYTES.
  app.use(
    bodyLimit({
      maxSize: ctx.config.MAX_BODY_BYTES,
      onError: (c) => c.json({ error: { code: "INVALID", message: "The request body is too large" } }, 413),
    }),
  );
  app.get("/assets/app.css", (c) =>
    c.body(appCss, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  );
  app.use(wellFormedQuery());
  // Before anything reads them (the CSRF check parses a signed-in person's form).
  for (const path of ["/login", "/setup", "/account/password", "/api/me/password"])
    app.use(path, smallForm());
  app.use(requireSession({ ctx, publicPaths: PUBLIC_PATHS, now }));
  app.use(readOnlyRoles());
  app.use(csrf());

  app.route("/", loginPages(ctx, { ...signIn, https: proxies.isHttps }));
  app.route("/", setupPages(ctx, { now }));
  app.route("/", dashboardPages(ctx));
  app.route("/account", accountPages(ctx, signIn));
  app.route("/users", userPages(ctx));
  app.route("/sessions", sessionPages(ctx));
  app.route("/notes", notePages(ctx));
  app.route("/tools/import-openapi", toolImportPages(ctx));
  app.route("/tools", toolChangePages(ctx));
  app.route("/tools", toolPages(ctx));
  app.route("/prompts", promptPages(ctx));
  app.route("/tasks", taskPages(ctx));
  app.route("/secrets", secretPages(ctx));
  app.route("/keys", keyPages(ctx));
  app.route("/", auditPages(ctx));

  // Every /api route, and GET /api/openapi.json generated from their declarations.
  app.route("/", createAdminApi(ctx, signIn));
  return app;
}
