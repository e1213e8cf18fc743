import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { PUBLIC_PATHS } from "./env.js";
import { local } from "./test-support.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
});
afterAll(() => ctx.close());

// Every concrete route the app serves, read from Hono's own table; middleware is mounted on `*` paths.
function routeTable() {
  const app = createAdminApp(ctx);
  const seen = new Set<string>();
  return app.routes
    .filter((route) => !route.path.endsWith("*"))
    .map((route) => ({
      method: route.method === "ALL" ? "GET" : route.method,
      path: route.path.replace(/:\w+/g, "00000000-0000-4000-8000-000000000000"),
    }))
    .filter((route) => {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

describe("route table", () => {
  it("has the routes this test is meant to guard", () => {
    const paths = routeTable().map((route) => `${route.method} ${route.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(["GET /", "GET /users", "POST /api/users", "GET /api/openapi.json"]),
    );
  });

  it("refuses every non-public route without a session: 401 under /api, 303 to /login for pages", async () => {
    const app = createAdminApp(ctx);
    const routes = routeTable().filter((route) => !PUBLIC_PATHS.has(route.path));
    expect(routes.length).toBeGreaterThan(8);
    for (const { method, path } of routes) {
      const response = await app.request(path, { method, headers: local });
      const outcome = `${method} ${path} → ${response.status}`;
      if (path.startsWith("/api")) {
        expect(outcome).toBe(`${method} ${path} → 401`);
        expect(await response.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      } else {
        expect(outcome).toBe(`${method} ${path} → 303`);
        expect(response.headers.get("location")).toMatch(/^\/login\?next=/);
      }
    }
  });

  it("refuses a forged or expired session cookie like none at all", async () => {
    const app = createAdminApp(ctx);
    const headers = { ...local, cookie: "admin_session=forged" };
    expect((await app.request("/api/me", { headers })).status).toBe(401);
    expect((await app.request("/users", { headers })).status).toBe(303);
  });

  it("serves the public routes without a session", async () => {
    const app = createAdminApp(ctx);
    for (const path of ["/health", "/metrics", "/login", "/assets/app.css"]) {
      expect(`${path} → ${(await app.request(path, { headers: local })).status}`).toBe(`${path} → 200`);
    }
    expect((await app.request("/setup?token=nope", { headers: local })).status).toBe(403);
  });
});
