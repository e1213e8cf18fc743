import { type AppContext, createUser } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
});
afterAll(() => ctx.close());

const valid = { username: "henry", role: "viewer", password: "a long password" };

async function errorOf(response: Response) {
  expect(response.status).toBe(400);
  return ((await response.json()) as { error: { message: string; details?: { field?: string } } }).error;
}

describe("/api/users validation", () => {
  it("refuses an unknown field with 400 naming it", async () => {
    const app = createAdminApp(ctx);
    const error = await errorOf(
      await app.request("/api/users", jsonWrite(admin, "POST", { ...valid, isAdmin: true })),
    );
    expect(error.message).toBe('Unknown field "isAdmin"');
    expect(error.details).toEqual({ field: "isAdmin" });
    const patch = await errorOf(
      await app.request(`/api/users/${admin.user.id}`, jsonWrite(admin, "PATCH", { password: "x" })),
    );
    expect(patch.message).toBe('Unknown field "password"');
  });

  it("refuses a wrong type with 400 naming the field", async () => {
    const app = createAdminApp(ctx);
    const error = await errorOf(
      await app.request("/api/users", jsonWrite(admin, "POST", { ...valid, username: 42 })),
    );
    expect(error.message).toMatch(/^username: .*expected string/);
    expect(error.details).toEqual({ field: "username" });
    const role = await errorOf(
      await app.request("/api/users", jsonWrite(admin, "POST", { ...valid, role: "root" })),
    );
    expect(role.message).toMatch(/^role: /);
    const disabled = await errorOf(
      await app.request(`/api/users/${admin.user.id}`, jsonWrite(admin, "PATCH", { disabled: "yes" })),
    );
    expect(disabled.message).toMatch(/^disabled: .*expected boolean/);
  });

  it("refuses a missing field, a short password and a body that is not JSON", async () => {
    const app = createAdminApp(ctx);
    const { password: _, ...noPassword } = valid;
    expect(
      (await errorOf(await app.request("/api/users", jsonWrite(admin, "POST", noPassword)))).message,
    ).toMatch(/^password: /);
    expect(
      (
        await errorOf(
          await app.request("/api/users", jsonWrite(admin, "POST", { ...valid, password: "short" })),
        )
      ).message,
    ).toBe("password: must be at least 12 characters");
    const notJson = await app.request("/api/users", { ...jsonWrite(admin, "POST", {}), body: "{" });
    expect((await errorOf(notJson)).message).toBe("The body must be a JSON object");
  });

  it("answers 404 for an unknown user and 409 for a taken name", async () => {
    const app = createAdminApp(ctx);
    const missing = await app.request(
      "/api/users/00000000-0000-4000-8000-000000000000",
      jsonWrite(admin, "PATCH", { role: "viewer" }),
    );
    expect(missing.status).toBe(404);
    const taken = await app.request(
      "/api/users",
      jsonWrite(admin, "POST", { ...valid, username: admin.user.username }),
    );
    expect(taken.status).toBe(409);
  });
});

describe("usernames with HTML", () => {
  it("render as text on the users page, never as markup", async () => {
    await createUser(ctx, "test", {
      username: '<script>alert("x")</script>',
      role: "viewer",
      password: "a long password",
    });
    const html = await (await createAdminApp(ctx).request("/users", { headers: admin.headers })).text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });
});

describe("GET /api/openapi.json", () => {
  it("describes every API route, with request bodies from the validating schemas", async () => {
    const response = await createAdminApp(ctx).request("/api/openapi.json", { headers: admin.headers });
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: object; additionalProperties?: unknown }> };
    };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/api/me",
        "/api/me/password",
        "/api/tools",
        "/api/tools/{name}",
        "/api/keys",
        "/api/keys/{id}/revoke",
        "/api/audit",
        "/api/audit/admin",
        "/api/dashboard",
        "/api/sessions",
        "/api/sessions/{id}/terminate",
        "/api/notes",
        "/api/notes/{id}",
        "/api/users",
        "/api/users/{id}",
        "/api/users/{id}/revoke-sessions",
        "/api/secrets",
        "/api/keys/{id}/pins",
        "/api/secrets/{name}",
        "/api/http-tools",
        "/api/http-tools/{toolId}",
        "/api/tool-versions",
        "/api/tool-versions/{id}/approve",
        "/api/tool-versions/{id}/reject",
        "/api/openapi-import/preview",
        "/api/openapi-import",
      ].sort(),
    );
    expect(Object.keys(document.paths["/api/users"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(document.components.schemas.CreateUserBody).toMatchObject({
      properties: { username: { type: "string" }, role: { enum: ["admin", "operator", "viewer"] } },
      additionalProperties: false,
    });
  });

  it("leaves no /api route undocumented", async () => {
    const document = (await (
      await createAdminApp(ctx).request("/api/openapi.json", { headers: admin.headers })
    ).json()) as { paths: Record<string, Record<string, unknown>> };
    const served = createAdminApp(ctx)
      // ALL entries are middleware mounted on a path (the small-form limit), not routes.
      .routes.filter((route) => route.path.startsWith("/api/") && !route.path.endsWith("*"))
      .filter((route) => route.method !== "ALL")
      .filter((route) => route.path !== "/api/openapi.json")
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...new Set(served)].sort());
  });
});
