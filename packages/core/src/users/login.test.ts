import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryBus } from "../bus/memory.js";
import type { AppContext } from "../context.js";
import { adminSessions, users } from "../db/schema.js";
import { createTestContext, testConfig } from "../testing/context.js";
import { createUser } from "./create.js";
import { INVALID_LOGIN, LOCKED_LOGIN, login } from "./login.js";
import { resolveSession } from "./sessions.js";
import { updateUser } from "./update.js";

let shared: AppContext;
let ctx: AppContext;
let clock: number;
beforeAll(async () => {
  shared = await createTestContext();
});
afterAll(() => shared.close());
beforeEach(async () => {
  await shared.db.db.delete(users);
  clock = Date.parse("2026-01-01T00:00:00Z");
  // A fresh bus per test with a pinned clock, and a small limit to reach quickly.
  ctx = {
    ...shared,
    bus: createMemoryBus({ now: () => clock }),
    config: { ...shared.config, ...testConfig({ LOGIN_MAX_ATTEMPTS: "3", LOGIN_LOCKOUT_MS: "60000" }) },
  };
  await createUser(ctx, "test", { username: "alice", role: "operator", password: "alice's password" });
});

const now = () => new Date(clock);
const attempt = (context: AppContext, password: string, username = "alice", clientIp = "10.0.0.1") =>
  login(context, { username, password, clientIp }, { now });

describe("login", () => {
  it("starts a session the cookie token resolves to", async () => {
    const result = await attempt(ctx, "alice's password");
    if (!result.ok) throw new Error(result.message);
    const session = await resolveSession(ctx, result.session.token, { now });
    expect(session?.user).toMatchObject({ username: "alice", role: "operator" });
    expect(session?.csrfToken).toBe(result.session.csrfToken);
    const [row] = await ctx.db.db.select().from(adminSessions);
    expect(row?.tokenHash).not.toBe(result.session.token);
    expect(row?.expiresAt.getTime()).toBe(clock + ctx.config.ADMIN_SESSION_TTL_MS);
  });

  it("ends a session at its expiry and sweeps it at the next sign-in", async () => {
    const first = await attempt(ctx, "alice's password");
    if (!first.ok) throw new Error(first.message);
    clock += ctx.config.ADMIN_SESSION_TTL_MS + 1;
    expect(await resolveSession(ctx, first.session.token, { now })).toBeUndefined();
    await attempt(ctx, "alice's password");
    expect(await ctx.db.db.select().from(adminSessions)).toHaveLength(1);
  });

  it("gives the same answer for a wrong password, an unknown user and a disabled user", async () => {
    expect(await attempt(ctx, "wrong password")).toEqual({
      ok: false,
      reason: "invalid",
      message: INVALID_LOGIN,
    });
    expect(await attempt(ctx, "alice's password", "nobody")).toEqual({
      ok: false,
      reason: "invalid",
      message: INVALID_LOGIN,
    });
    await createUser(ctx, "test", { username: "root", role: "admin", password: "root's password" });
    const [alice] = await ctx.db.db.select().from(users).where(eq(users.username, "alice"));
    await updateUser(ctx, "test", alice?.id ?? "", { disabled: true });
    expect(await attempt(ctx, "alice's password")).toMatchObject({ ok: false, message: INVALID_LOGIN });
  });

  it("locks the user after LOGIN_MAX_ATTEMPTS failures, even with the right password, until the lockout ends", async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(ctx, "wrong password")).ok).toBe(false);
    expect(await attempt(ctx, "alice's password")).toEqual({
      ok: false,
      reason: "locked",
      message: LOCKED_LOGIN,
    });
    const [alice] = await ctx.db.db.select().from(users).where(eq(users.username, "alice"));
    expect(alice?.failedLogins).toBe(3);
    expect(alice?.lockedUntil?.getTime()).toBe(clock + 60_000);
    clock += 60_001;
    expect((await attempt(ctx, "alice's password")).ok).toBe(true);
    const [after] = await ctx.db.db.select().from(users).where(eq(users.username, "alice"));
    expect(after).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it("locks an unknown username the same way, so lockout does not reveal who exists", async () => {
    for (let i = 0; i < 3; i++) await attempt(ctx, "guess", "nobody");
    expect(await attempt(ctx, "guess", "nobody")).toMatchObject({ reason: "locked", message: LOCKED_LOGIN });
  });

  it("limits attempts per client address across usernames", async () => {
    const limited = (username: string, password = "wrong password") =>
      login(ctx, { username, password, clientIp: "10.9.9.9" }, { now, maxAttemptsPerIp: 2 });
    await limited("a");
    await limited("b");
    expect(await limited("alice", "alice's password")).toMatchObject({ reason: "locked" });
    expect((await attempt(ctx, "alice's password", "alice", "10.0.0.2")).ok).toBe(true);
  });

  it("holds the lock in another process sharing the bus", async () => {
    const other = await createTestContext({ LOGIN_MAX_ATTEMPTS: "3" });
    try {
      const otherCtx = { ...other, bus: ctx.bus };
      await createUser(otherCtx, "test", {
        username: "alice",
        role: "operator",
        password: "alice's password",
      });
      for (let i = 0; i < 3; i++) await attempt(ctx, "wrong password");
      expect(await attempt(otherCtx, "alice's password")).toMatchObject({ ok: false, reason: "locked" });
    } finally {
      await other.close();
    }
  });
});
