import { type AppContext, bootstrapAdmin, createContext, listUsers } from "@mcp-tools/core";
import { createTestDatabase, realServiceUrl, type TestDatabase, testConfig } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { local, localOrigin } from "./test-support.js";

const serverUrl = realServiceUrl("DATABASE_URL");

// Two processes sharing one PostgreSQL, each with its own in-process bus: what the database alone guarantees.
describe.skipIf(!serverUrl)("admin sign-in on PostgreSQL", () => {
  let database: TestDatabase;
  let first: AppContext;
  let second: AppContext;
  beforeAll(async () => {
    database = await createTestDatabase(serverUrl ?? "");
    const config = testConfig({
      DATABASE_URL: database.url,
      ADMIN_PORT: "9091",
      ADMIN_PASSWORD: "postgres admin password",
      LOGIN_MAX_ATTEMPTS: "2",
    });
    first = await createContext(config);
    second = await createContext(config);
  });
  afterAll(async () => {
    await Promise.allSettled([first?.close(), second?.close()]);
    await database?.drop();
  });

  const login = (ctx: AppContext, password: string) =>
    createAdminApp(ctx, { clientIp: () => "10.3.0.1" }).request("/login", {
      method: "POST",
      headers: { ...local, origin: localOrigin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "admin", password }).toString(),
    });

  it("creates one admin when two processes start at once", async () => {
    const results = await Promise.all([bootstrapAdmin(first), bootstrapAdmin(second), bootstrapAdmin(first)]);
    expect(results.filter((result) => result.kind === "password")).toHaveLength(1);
    expect((await listUsers(first)).filter((user) => user.username === "admin")).toHaveLength(1);
  });

  it("signs in on one process and the session works on the other", async () => {
    const response = await login(first, "postgres admin password");
    expect(response.status).toBe(303);
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const me = await createAdminApp(second).request("/api/me", { headers: { ...local, cookie } });
    expect(await me.json()).toMatchObject({ user: { username: "admin", role: "admin" } });
  });

  it("holds a lockout from one process on the other through the database", async () => {
    expect((await login(first, "wrong")).status).toBe(401);
    expect((await login(first, "wrong")).status).toBe(401);
    const admin = (await listUsers(second)).find((user) => user.username === "admin");
    expect(admin?.lockedUntil).toBeInstanceOf(Date);
    expect((await login(second, "postgres admin password")).status).toBe(429);
  });
});
