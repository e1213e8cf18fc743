import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { adminAudit, users } from "../db/schema.js";
import { createTestContext, testConfig } from "../testing/context.js";
import { bootstrapAdmin } from "./bootstrap.js";
import { login } from "./login.js";
import { createPasswordGate } from "./password-gate.js";
import { completeSetup, isSetupTokenValid } from "./setup.js";

// One embedded database for the file (starting one is slow); each test starts from no users.
let shared: AppContext;
beforeAll(async () => {
  shared = await createTestContext();
});
afterAll(() => shared.close());
beforeEach(async () => {
  await shared.db.db.delete(adminAudit);
  await shared.db.db.delete(users);
});

async function context(env: Record<string, string> = {}): Promise<AppContext> {
  const config = { ...shared.config, ...testConfig(env) };
  return { ...shared, config };
}

const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";
const signIn = (ctx: AppContext, password: string) =>
  login(ctx, { username: "admin", password, clientIp: "127.0.0.1" }, { gate });
const gate = createPasswordGate({ concurrency: 2, queue: 100 });

describe("bootstrapAdmin", () => {
  it("creates admin with ADMIN_PASSWORD, who can sign in, and audits it", async () => {
    const ctx = await context({ ADMIN_PASSWORD: "a long first password" });
    expect(await bootstrapAdmin(ctx)).toEqual({ kind: "password" });
    const [admin] = await ctx.db.db.select().from(users);
    expect(admin).toMatchObject({ username: "admin", role: "admin", setupTokenHash: null });
    expect(admin?.passwordHash).not.toContain("a long first password");
    expect((await signIn(ctx, "a long first password")).ok).toBe(true);
    const audit = await ctx.db.db.select().from(adminAudit);
    expect(audit).toMatchObject([{ actor: "system", action: "user.created", targetId: admin?.id }]);
  });

  it("does nothing once users exist", async () => {
    const ctx = await context({ ADMIN_PASSWORD: "a long first password" });
    await bootstrapAdmin(ctx);
    expect(await bootstrapAdmin(ctx)).toEqual({ kind: "existing" });
    expect(await ctx.db.db.select().from(users)).toHaveLength(1);
  });

  it("without ADMIN_PASSWORD logs a setup link at warn level and stores only the token's hash", async () => {
    const ctx = await context({ HOST: "0.0.0.0", ADMIN_PORT: "9191" });
    const warnings: string[] = [];
    const log = {
      ...ctx.log,
      warn: (message: string) => warnings.push(message),
    } as unknown as AppContext["log"];
    const result = await bootstrapAdmin({ ...ctx, log });
    if (result.kind !== "setup-link") throw new Error(`expected a setup link, got ${result.kind}`);
    expect(result.url).toMatch(/^http:\/\/localhost:9191\/setup\?token=[\w-]{43}$/);
    expect(warnings.join("\n")).toContain(result.url);
    const [admin] = await ctx.db.db.select().from(users);
    expect(admin?.passwordHash).toBeNull();
    expect(admin?.setupTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(admin?.setupTokenHash).not.toContain(tokenOf(result.url));
  });

  it("lets the setup token choose a password exactly once", async () => {
    const ctx = await context();
    const result = await bootstrapAdmin(ctx);
    const token = result.kind === "setup-link" ? tokenOf(result.url) : "";
    expect((await signIn(ctx, "chosen password 1")).ok).toBe(false);
    expect(await isSetupTokenValid(ctx, token)).toBe(true);
    await expect(completeSetup(ctx, token, "short")).rejects.toThrow(/password: must be at least 12/);
    await completeSetup(ctx, token, "chosen password 1");
    expect(await isSetupTokenValid(ctx, token)).toBe(false);
    await expect(completeSetup(ctx, token, "chosen password 2")).rejects.toThrow(
      /invalid, has expired or has already been used/,
    );
    expect((await signIn(ctx, "chosen password 1")).ok).toBe(true);
    expect((await signIn(ctx, "chosen password 2")).ok).toBe(false);
  });

  it("logs a fresh link on restart while setup is pending, voiding the old one", async () => {
    const ctx = await context();
    const first = await bootstrapAdmin(ctx);
    const second = await bootstrapAdmin(ctx);
    if (first.kind !== "setup-link" || second.kind !== "setup-link") throw new Error("expected setup links");
    expect(await isSetupTokenValid(ctx, tokenOf(first.url))).toBe(false);
    expect(await isSetupTokenValid(ctx, tokenOf(second.url))).toBe(true);
  });

  it("lets the setup link work for SETUP_LINK_TTL_MS only; a restart logs a fresh one", async () => {
    const ctx = await context({ SETUP_LINK_TTL_MS: "60000" });
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const now = () => new Date(clock);
    const first = await bootstrapAdmin(ctx, { now });
    const token = first.kind === "setup-link" ? tokenOf(first.url) : "";
    clock += 59_000;
    expect(await isSetupTokenValid(ctx, token, { now })).toBe(true);
    clock += 2_000;
    expect(await isSetupTokenValid(ctx, token, { now })).toBe(false);
    await expect(completeSetup(ctx, token, "chosen password 1", { now })).rejects.toThrow(/expired/);
    const second = await bootstrapAdmin(ctx, { now });
    const fresh = second.kind === "setup-link" ? tokenOf(second.url) : "";
    expect(await isSetupTokenValid(ctx, fresh, { now })).toBe(true);
    await completeSetup(ctx, fresh, "chosen password 1", { now });
    expect((await signIn(ctx, "chosen password 1")).ok).toBe(true);
  });

  it("creates one admin when several starts race", async () => {
    const ctx = await context({ ADMIN_PASSWORD: "a long first password" });
    const results = await Promise.all([bootstrapAdmin(ctx), bootstrapAdmin(ctx), bootstrapAdmin(ctx)]);
    expect(results.filter((result) => result.kind === "password")).toHaveLength(1);
    expect(await ctx.db.db.select().from(users).where(eq(users.username, "admin"))).toHaveLength(1);
  });
});
