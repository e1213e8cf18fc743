import type { AppContext } from "@mcp-tools/core";
import { createSession } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import {
  formPost,
  jsonWrite,
  local,
  localOrigin,
  loginForm,
  type SignedIn,
  signIn,
} from "../test-support.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
});
afterAll(() => ctx.close());

// signIn() gives every test user this password.
const CURRENT = "a test password";

// The same person signed in a second time, elsewhere.
async function secondSession(who: SignedIn): Promise<Record<string, string>> {
  const session = await createSession(ctx, who.user);
  return { ...local, cookie: `admin_session=${session.token}` };
}

const signsInWith = async (username: string, password: string) =>
  (await createAdminApp(ctx).request("/login", loginForm({ username, password }))).status === 303;

describe("changing your own password", () => {
  it("has a page any signed-in person reaches from the top bar, viewers included", async () => {
    const viewer = await signIn(ctx, "viewer");
    const app = createAdminApp(ctx);
    const home = await app.request("/", { headers: viewer.headers });
    expect(await home.text()).toContain('href="/account/password"');
    const page = await app.request("/account/password", { headers: viewer.headers });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="currentPassword"');
    expect(html).toContain('name="newPassword"');
  });

  it("changes it from the page: the new one works, other sessions end, this one stays", async () => {
    const viewer = await signIn(ctx, "viewer");
    const elsewhere = await secondSession(viewer);
    const app = createAdminApp(ctx);
    const response = await app.request(
      "/account/password",
      formPost(
        viewer,
        { currentPassword: CURRENT, newPassword: "a brand new password", confirm: "a brand new password" },
        { origin: localOrigin },
      ),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account/password?done=changed");
    expect((await app.request("/api/me", { headers: viewer.headers })).status).toBe(200);
    expect((await app.request("/api/me", { headers: elsewhere })).status).toBe(401);
    const done = await app.request("/account/password?done=changed", { headers: viewer.headers });
    expect(await done.text()).toContain("Your password is changed; your other sessions have ended.");
    expect(await signsInWith(viewer.user.username, "a brand new password")).toBe(true);
    expect(await signsInWith(viewer.user.username, CURRENT)).toBe(false);
  });

  it("says what is wrong on the page and changes nothing", async () => {
    const operator = await signIn(ctx, "operator");
    const app = createAdminApp(ctx);
    const cases = [
      [
        {
          currentPassword: "not it at all",
          newPassword: "a brand new password",
          confirm: "a brand new password",
        },
        "is not your current password",
      ],
      [
        { currentPassword: CURRENT, newPassword: "a brand new password", confirm: "something else" },
        "The two new passwords differ.",
      ],
      [
        { currentPassword: CURRENT, newPassword: "short", confirm: "short" },
        "must be at least 12 characters",
      ],
    ] as const;
    for (const [fields, message] of cases) {
      const response = await app.request(
        "/account/password",
        formPost(operator, fields, { origin: localOrigin }),
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect(await signsInWith(operator.user.username, CURRENT)).toBe(true);
  });

  it("changes it through POST /api/me/password, with the CSRF token", async () => {
    const admin = await signIn(ctx, "admin");
    const elsewhere = await secondSession(admin);
    const app = createAdminApp(ctx);
    const body = { currentPassword: CURRENT, newPassword: "an api new password" };
    const noCsrf = await app.request("/api/me/password", {
      method: "POST",
      headers: { ...admin.headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(noCsrf.status).toBe(403);
    const wrong = await app.request(
      "/api/me/password",
      jsonWrite(admin, "POST", { ...body, currentPassword: "not it at all" }),
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { details: { field: "currentPassword" } } });
    const changed = await app.request("/api/me/password", jsonWrite(admin, "POST", body));
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ otherSessionsEnded: 1 });
    expect((await app.request("/api/me", { headers: elsewhere })).status).toBe(401);
    expect(await signsInWith(admin.user.username, "an api new password")).toBe(true);
  });
});
