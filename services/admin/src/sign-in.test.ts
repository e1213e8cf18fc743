import { type AppContext, bootstrapAdmin, createUser } from "@mcp-tools/core";
import { createTestContext, testConfig } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { formPost, local, localOrigin, loginForm, signIn } from "./test-support.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091", LOGIN_MAX_ATTEMPTS: "3" });
});
afterAll(() => ctx.close());

let address = 0;
// Each test signs in from its own address so per-address limits do not leak between tests.
const appFromNewAddress = () => {
  const ip = `10.1.0.${++address}`;
  return createAdminApp(ctx, { clientIp: () => ip });
};

const cookieOf = (response: Response) => response.headers.get("set-cookie") ?? "";
const sessionCookie = (response: Response) => cookieOf(response).split(";")[0] ?? "";

describe("sign-in", () => {
  it("signs in with the right password: HttpOnly, SameSite=Strict cookie, redirect to next", async () => {
    await createUser(ctx, "test", { username: "dana", role: "operator", password: "dana's password" });
    const app = appFromNewAddress();
    const response = await app.request(
      "/login",
      loginForm({ username: "dana", password: "dana's password", next: "/users" }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/users");
    const cookie = cookieOf(response);
    expect(cookie).toMatch(/^admin_session=[\w-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain("Secure");
    const me = await app.request("/api/me", { headers: { ...local, cookie: sessionCookie(response) } });
    expect(await me.json()).toMatchObject({ user: { username: "dana", role: "operator" } });
  });

  it("marks the cookie Secure over https: directly, or behind a proxy in TRUSTED_PROXIES", async () => {
    await createUser(ctx, "test", { username: "erin", role: "viewer", password: "erin's password" });
    const form = loginForm({ username: "erin", password: "erin's password" });
    const proxied = {
      ...form,
      headers: { ...(form.headers as Record<string, string>), "x-forwarded-proto": "https" },
    };
    const peer = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
    const trusting = createAdminApp({ ...ctx, config: { ...ctx.config, TRUSTED_PROXIES: ["10.7.0.0/16"] } });
    expect(cookieOf(await trusting.request("/login", proxied, peer("10.7.0.2")))).toContain("Secure");
    const direct = await appFromNewAddress().request("https://127.0.0.1:9091/login", form);
    expect(cookieOf(direct)).toContain("Secure");
  });

  it("never marks the cookie Secure on a forged X-Forwarded-Proto, nor counts a forged address", async () => {
    await createUser(ctx, "test", { username: "ford", role: "viewer", password: "ford's password" });
    const headers = (extra: Record<string, string>) => ({
      ...(loginForm({}).headers as Record<string, string>),
      ...extra,
    });
    const peer = { incoming: { socket: { remoteAddress: "10.8.0.9" } } };
    const app = createAdminApp(ctx);
    const forged = { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.99" };
    const signedIn = await app.request(
      "/login",
      { ...loginForm({ username: "ford", password: "ford's password" }), headers: headers(forged) },
      peer,
    );
    expect(signedIn.status).toBe(303);
    expect(cookieOf(signedIn)).not.toContain("Secure");
    // Failures with a new forged address each time still count against the real peer.
    for (let i = 0; i < 3; i++) {
      const spoofed = headers({ "x-forwarded-for": `198.51.100.${i}` });
      await app.request(
        "/login",
        { ...loginForm({ username: "ford", password: "no" }), headers: spoofed },
        peer,
      );
    }
    const spoofed = headers({ "x-forwarded-for": "198.51.100.200" });
    const locked = await app.request(
      "/login",
      { ...loginForm({ username: "ford", password: "ford's password" }), headers: spoofed },
      peer,
    );
    expect(locked.status).toBe(429);
  });

  it.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "HTTPS:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "http://127.0.0.1:9091@evil.example/",
  ])("never redirects to another site after sign-in: next=%j", async (next) => {
    const username = `fay-${address}`;
    await createUser(ctx, "test", { username, role: "viewer", password: "fay's password!" });
    const response = await appFromNewAddress().request(
      "/login",
      loginForm({ username, password: "fay's password!", next }),
    );
    expect(response.status).toBe(303);
    const location = response.headers.get("location") ?? "";
    // Where a browser goes: the Location resolved against the page, as WHATWG URL does.
    expect(new URL(location, localOrigin).origin).toBe(localOrigin);
    expect(location).toMatch(/^\/(?![/\\])/);
  });

  it("keeps a path on this site, with its query and fragment, and offers only that on the form", async () => {
    await createUser(ctx, "test", { username: "gil", role: "viewer", password: "gil's password!" });
    const response = await appFromNewAddress().request(
      "/login",
      loginForm({ username: "gil", password: "gil's password!", next: "/audit?tool=echo#calls" }),
    );
    expect(response.headers.get("location")).toBe("/audit?tool=echo#calls");
    const page = await createAdminApp(ctx).request(`/login?next=${encodeURIComponent("/\t/evil.example")}`, {
      headers: local,
    });
    expect(await page.text()).toContain('name="next" value="/"');
  });

  it("answers a wrong password and an unknown user alike, then locks", async () => {
    await createUser(ctx, "test", { username: "gus", role: "viewer", password: "gus's password!" });
    const app = appFromNewAddress();
    const wrong = await app.request("/login", loginForm({ username: "gus", password: "nope" }));
    const unknown = await app.request("/login", loginForm({ username: "nobody-at-all", password: "nope" }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [wrongText, unknownText] = [await wrong.text(), await unknown.text()];
    expect(wrongText).toContain("Wrong username or password.");
    expect(unknownText.replace("nobody-at-all", "gus")).toBe(wrongText);
    expect(cookieOf(wrong)).toBe("");
    await app.request("/login", loginForm({ username: "gus", password: "nope" }));
    await app.request("/login", loginForm({ username: "gus", password: "nope" }));
    const locked = await app.request("/login", loginForm({ username: "gus", password: "gus's password!" }));
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("1");
    expect(await locked.text()).toContain("Too many failed sign-in attempts. Try again in 1 s.");
    expect(cookieOf(locked)).toBe("");
  });

  it("signs out: the session ends and the cookie is cleared", async () => {
    const who = await signIn(ctx, "operator");
    const app = createAdminApp(ctx);
    const response = await app.request("/logout", formPost(who, {}, { origin: localOrigin }));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?done=logout");
    expect(cookieOf(response)).toMatch(/^admin_session=;.*Max-Age=0/);
    expect((await app.request("/api/me", { headers: who.headers })).status).toBe(401);
  });
});

describe("setup link", () => {
  it("lets the first person choose the admin password once, then sign in", async () => {
    const fresh = await createTestContext({ ADMIN_PORT: "9091" });
    try {
      const result = await bootstrapAdmin(fresh);
      if (result.kind !== "setup-link") throw new Error(`expected a setup link, got ${result.kind}`);
      const path = new URL(result.url).pathname + new URL(result.url).search;
      const token = new URL(result.url).searchParams.get("token") ?? "";
      const app = createAdminApp(fresh, { clientIp: () => "10.2.0.1" });
      const page = await app.request(path, { headers: local });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Choose the admin password");
      const mismatch = await app.request(
        "/setup",
        loginForm({ token, password: "first password!", confirm: "other" }),
      );
      expect(mismatch.status).toBe(400);
      const done = await app.request(
        "/setup",
        loginForm({ token, password: "first password!", confirm: "first password!" }),
      );
      expect(done.status).toBe(303);
      expect(done.headers.get("location")).toBe("/login?done=setup");
      expect((await app.request(path, { headers: local })).status).toBe(403);
      const again = await app.request(
        "/setup",
        loginForm({ token, password: "second password", confirm: "second password" }),
      );
      expect(again.status).toBe(403);
      expect(await again.text()).toContain("invalid, has expired or has already been used");
      const signedIn = await app.request(
        "/login",
        loginForm({ username: "admin", password: "first password!" }),
      );
      expect(signedIn.status).toBe(303);
    } finally {
      await fresh.close();
    }
  });

  it("refuses the setup link once SETUP_LINK_TTL_MS has passed, saying how to get a fresh one", async () => {
    const fresh = await createTestContext({ ADMIN_PORT: "9091", SETUP_LINK_TTL_MS: "60000" });
    try {
      const result = await bootstrapAdmin(fresh);
      if (result.kind !== "setup-link") throw new Error(`expected a setup link, got ${result.kind}`);
      const token = new URL(result.url).searchParams.get("token") ?? "";
      const later = createAdminApp(fresh, { now: () => new Date(Date.now() + 61_000) });
      const page = await later.request(`/setup?token=${token}`, { headers: local });
      expect(page.status).toBe(403);
      expect(await page.text()).toContain("has expired");
      const post = await later.request(
        "/setup",
        loginForm({ token, password: "first password!", confirm: "first password!" }),
      );
      expect(post.status).toBe(403);
      expect(await createAdminApp(fresh).request(`/setup?token=${token}`, { headers: local })).toHaveProperty(
        "status",
        200,
      );
    } finally {
      await fresh.close();
    }
  });

  it("with ADMIN_PASSWORD, admin signs in with it and no setup link exists", async () => {
    const fresh = await createTestContext({ ADMIN_PORT: "9091" });
    try {
      const configured = {
        ...fresh,
        config: { ...fresh.config, ...testConfig({ ADMIN_PASSWORD: "configured password" }) },
      };
      expect(await bootstrapAdmin(configured)).toEqual({ kind: "password" });
      const app = createAdminApp(configured, { clientIp: () => "10.2.0.2" });
      const response = await app.request(
        "/login",
        loginForm({ username: "admin", password: "configured password" }),
      );
      expect(response.status).toBe(303);
      expect(cookieOf(response)).toContain("admin_session=");
    } finally {
      await fresh.close();
    }
  });
});
