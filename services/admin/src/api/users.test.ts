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
