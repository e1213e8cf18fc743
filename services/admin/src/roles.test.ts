import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { formPost, jsonWrite, type SignedIn, signIn, signInEveryRole } from "./test-support.js";

let ctx: AppContext;
let admin: SignedIn;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  ({ admin, operator, viewer } = await signInEveryRole(ctx));
});
afterAll(() => ctx.close());

const newUser = () => ({
  username: `new-${Math.random().toString(36).slice(2)}`,
  role: "viewer",
  password: "a long password",
});

describe("role matrix", () => {
  it("lets a viewer read: dashboard, /api/me, /api/tools", async () => {
    const app = createAdminApp(ctx);
    for (const path of ["/", "/api/me", "/api/tools", "/api/openapi.json"]) {
      expect(`${path} → ${(await app.request(path, { headers: viewer.headers })).status}`).toBe(
        `${path} → 200`,
      );
    }
  });

  it("refuses a viewer every change with 403, whatever the route", async () => {
    const app = createAdminApp(ctx);
    const create = await app.request("/api/users", jsonWrite(viewer, "POST", newUser()));
    expect(create.status).toBe(403);
    expect(await create.json()).toMatchObject({
      error: { code: "FORBIDDEN", message: expect.stringMatching(/read-only/) },
    });
    expect(
      (await app.request(`/api/users/${viewer.user.id}`, jsonWrite(viewer, "PATCH", { role: "admin" })))
        .status,
    ).toBe(403);
    expect((await app.request("/users", formPost(viewer, newUser()))).status).toBe(403);
    expect(
      (await app.request(`/api/users/${admin.user.id}/revoke-sessions`, jsonWrite(viewer, "POST", {})))
        .status,
    ).toBe(403);
  });

  it("lets a viewer sign out", async () => {
    const own = await signIn(ctx, "viewer");
    const response = await createAdminApp(ctx).request("/logout", formPost(own, {}));
    expect(response.status).toBe(303);
    expect((await createAdminApp(ctx).request("/api/me", { headers: own.headers })).status).toBe(401);
  });

  it("refuses an operator user management with 403, reading included", async () => {
    const app = createAdminApp(ctx);
    expect((await app.request("/api/users", { headers: operator.headers })).status).toBe(403);
    expect((await app.request("/api/users", jsonWrite(operator, "POST", newUser()))).status).toBe(403);
    expect(
      (await app.request(`/api/users/${viewer.user.id}`, jsonWrite(operator, "PATCH", { role: "admin" })))
        .status,
    ).toBe(403);
    expect((await app.request("/users", { headers: operator.headers })).status).toBe(403);
    expect((await app.request("/users", formPost(operator, newUser()))).status).toBe(403);
  });

  it("lets an admin manage users through the API", async () => {
    const app = createAdminApp(ctx);
    const created = await app.request("/api/users", jsonWrite(admin, "POST", newUser()));
    expect(created.status).toBe(201);
    const { user } = (await created.json()) as { user: { id: string; role: string } };
    const patched = await app.request(
      `/api/users/${user.id}`,
      jsonWrite(admin, "PATCH", { role: "operator" }),
    );
    expect(await patched.json()).toMatchObject({ user: { id: user.id, role: "operator" } });
    const revoked = await app.request(`/api/users/${user.id}/revoke-sessions`, jsonWrite(admin, "POST", {}));
    expect(await revoked.json()).toEqual({ revoked: 0 });
    const list = (await (await app.request("/api/users", { headers: admin.headers })).json()) as {
      users: unknown[];
    };
    expect(list.users).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: user.id, role: "operator" })]),
    );
  });

  it("lets an admin manage users through the pages", async () => {
    const app = createAdminApp(ctx);
    const draft = newUser();
    const created = await app.request("/users", formPost(admin, draft));
    expect(created.status).toBe(303);
    const page = await (await app.request("/users?done=created", { headers: admin.headers })).text();
    expect(page).toContain(draft.username);
    expect(page).toContain("User added.");
    const id = (await (await app.request("/api/users", { headers: admin.headers })).json()) as {
      users: Array<{ id: string; username: string }>;
    };
    const target = id.users.find((user) => user.username === draft.username)?.id ?? "";
    expect((await app.request(`/users/${target}/role`, formPost(admin, { role: "operator" }))).status).toBe(
      303,
    );
    const confirm = await app.request(`/users/${target}/revoke-sessions`, { headers: admin.headers });
    expect(await confirm.text()).toContain("Sign out everywhere?");
    expect((await app.request(`/users/${target}/revoke-sessions`, formPost(admin, {}))).status).toBe(303);
    const confirmDisable = await app.request(`/users/${target}/disable`, { headers: admin.headers });
    expect(await confirmDisable.text()).toContain("Disable user?");
    expect((await app.request(`/users/${target}/disable`, formPost(admin, {}))).status).toBe(303);
    const disabled = await (await app.request("/users?done=disabled", { headers: admin.headers })).text();
    expect(disabled).toContain("User disabled; their sessions have ended.");
    expect(disabled).toContain(`action="/users/${target}/enable"`);
    expect((await app.request(`/users/${target}/enable`, formPost(admin, {}))).status).toBe(303);
  });

  it("shows a readable error on the page when a change is refused", async () => {
    const app = createAdminApp(ctx);
    const taken = await app.request(
      "/users",
      formPost(admin, { ...newUser(), username: admin.user.username }),
    );
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("already exists");
    const short = await app.request("/users", formPost(admin, { ...newUser(), password: "short" }));
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("password: must be at least 12 characters");
  });
});
