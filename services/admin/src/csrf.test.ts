import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { formPost, loginForm, type SignedIn, signIn } from "./test-support.js";

let ctx: AppContext;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
});
afterAll(() => ctx.close());

describe("CSRF and cross-site requests", () => {
  it("refuses a change without the CSRF token, or with a wrong one, with 403", async () => {
    const app = createAdminApp(ctx);
    const json = { ...admin.headers, "content-type": "application/json" };
    const body = JSON.stringify({ username: "csrf-victim", role: "admin", password: "a long password" });
    const missing = await app.request("/api/users", { method: "POST", headers: json, body });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({
      error: { message: "Forbidden: missing or wrong CSRF token" },
    });
    const wrong = await app.request("/api/users", {
      method: "POST",
      headers: { ...json, "x-csrf-token": "not-the-token" },
      body,
    });
    expect(wrong.status).toBe(403);
    const form = await app.request(
      "/users",
      formPost(admin, { username: "x", role: "admin", password: "a long password" }, {}),
    );
    expect(form.status).toBe(303);
    const badForm = await app.request("/users", {
      ...formPost(admin, {}),
      body: "_csrf=wrong&username=y&role=admin",
    });
    expect(badForm.status).toBe(403);
  });

  it("refuses a cross-site form post with 403 even with a valid token", async () => {
    const app = createAdminApp(ctx);
    const fields = { username: "cross-site", role: "admin", password: "a long password" };
    const foreign = await app.request("/users", formPost(admin, fields, { origin: "https://evil.example" }));
    expect(foreign.status).toBe(403);
    const fetchSite = await app.request(
      "/users",
      formPost(admin, fields, { "sec-fetch-site": "cross-site" }),
    );
    expect(fetchSite.status).toBe(403);
    const login = await createAdminApp(ctx).request(
      "/login",
      loginForm({ username: "admin", password: "x" }, { origin: "https://evil.example" }),
    );
    expect(login.status).toBe(403);
  });

  it("shows a browser a readable page for a refused form", async () => {
    const response = await createAdminApp(ctx).request("/users", {
      ...formPost(admin, {}),
      headers: { ...(formPost(admin, {}).headers as Record<string, string>), accept: "text/html" },
      body: "_csrf=wrong",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await response.text()).toContain("missing or wrong CSRF token");
  });
});

describe("security headers", () => {
  it.each(["/login", "/api/me", "/assets/app.css", "/health", "/nope"])(
    "sets CSP, nosniff, a same-origin referrer policy and DENY on %s",
    async (path) => {
      const response = await createAdminApp(ctx).request(path, { headers: admin.headers });
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    },
  );

  it("serves pages with no inline script or style and only self-hosted assets", async () => {
    const html = await (await createAdminApp(ctx).request("/users", { headers: admin.headers })).text();
    expect(html).not.toMatch(/<script|style=|<style|https?:\/\//);
    expect(html).toContain('<link rel="stylesheet" href="/assets/app.css"');
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  });
});
