import { type AppContext, bootstrapAdmin, createContext, listUsers } from "@mcp-tools/core";
import {
  createTestDatabase,
  realServiceUrl,
  type TestDatabase,
  testConfig,
  uniquePrefix,
} from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { local, localOrigin } from "./test-support.js";

const serverUrl = realServiceUrl("DATABASE_URL");
const redisUrl = realServiceUrl("REDIS_URL");

// Two processes sharing one PostgreSQL and one Redis, as replicas do.
describe.skipIf(!serverUrl || !redisUrl)("admin sign-in on PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let first: AppContext;
  let second: AppContext;
  beforeAll(async () => {
    database = await createTestDatabase(serverUrl ?? "");
    const config = testConfig({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: uniquePrefix(),
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

  const login = (ctx: AppContext, password: string, ip = "10.3.0.1", now?: () => Date) =>
    createAdminApp(ctx, { clientIp: () => ip, now }).request("/login", {
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

  it("holds a sign-in delay from one process on the other, but not for another address", async () => {
    // A pinned clock, at the start of tomorrow's windows: the 1 s delay cannot run out mid-test.
    const day = 24 * 60 * 60_000;
    const tomorrow = new Date((Math.floor(Date.now() / day) + 1) * day);
    const now = () => tomorrow;
    expect((await login(first, "wrong", "10.3.0.1", now)).status).toBe(401);
    expect((await login(first, "wrong", "10.3.0.1", now)).status).toBe(401);
    const refused = await login(second, "postgres admin password", "10.3.0.1", now);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await login(second, "postgres admin password", "10.3.0.2", now)).status).toBe(303);
  });
});
