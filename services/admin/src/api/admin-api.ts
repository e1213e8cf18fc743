import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "@mcp-tools/core";
import type { BlankSchema } from "hono/types";
import type { AdminEnv } from "../env.js";
import { createApiApp } from "./api-app.js";
import { auditApi } from "./audit.js";
import { dashboardApi } from "./dashboard.js";
import { registerOpenApiDocument } from "./document.js";
import { httpToolApi } from "./http-tools.js";
import { keyApi } from "./keys.js";
import { type MeRoutesOptions, meRoutes } from "./me.js";
import { noteApi } from "./notes.js";
import { openApiImportApi } from "./openapi-import.js";
import { promptApi } from "./prompts.js";
import { secretApi } from "./secrets.js";
import { sessionApi } from "./sessions.js";
import { taskApi } from "./tasks.js";
import { toolVersionApi } from "./tool-versions.js";
import { toolApi } from "./tools.js";
import { userApi } from "./users.js";

/**
 * The JSON API, every route under /api, and GET /api/openapi.json describing them: each route is
 * declared once (createRoute), and the document is generated from those declarations.
 */
export function createAdminApi(
  ctx: AppContext,
  signIn: MeRoutesOptions,
): OpenAPIHono<AdminEnv, BlankSchema, "/api"> {
  const api = createApiApp().basePath("/api");
  api.route("/me", meRoutes(ctx, signIn));
  api.route("/users", userApi(ctx));
  api.route("/dashboard", dashboardApi(ctx));
  api.route("/sessions", sessionApi(ctx));
  api.route("/notes", noteApi(ctx));
  api.route("/tools", toolApi(ctx));
  api.route("/keys", keyApi(ctx));
  api.route("/audit", auditApi(ctx));
  api.route("/secrets", secretApi(ctx));
  api.route("/http-tools", httpToolApi(ctx));
  api.route("/tool-versions", toolVersionApi(ctx));
  api.route("/openapi-import", openApiImportApi(ctx));
  api.route("/prompts", promptApi(ctx));
  api.route("/tasks", taskApi(ctx));
  registerOpenApiDocument(api);
  return api;
}
