import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryBus, type MemoryBus } from "../bus/memory.js";
import type { AppContext } from "../context.js";
import { adminSessions, users } from "../db/schema.js";
import type { Logger } from "../log/log.js";
import { createTestContext, testConfig } from "../testing/context.js";
import { createUser } from "./create.js";
import { INVALID_LOGIN, type LoginResult, login } from "./login.js";
import { createPasswordGate, type PasswordGate } from "./password-gate.js";
import { resolveSession } from "./sessions.js";
import { updateUser } from "./update.js";

let shared: AppContext;
let ctx: AppContext & { bus: MemoryBus };
let clock: number;
let gate: PasswordGate;
let hashes: number;
beforeAll(async () => {
  shared = await createTestContext();
});
afterAll(() => shared.close());
beforeEach(async () => {
  await shared.db.db.delete(users);
  clock = Date.parse("2026-01-01T00:00:00Z");
  hashes = 0;
  // A fresh bus per test with a pinned clock, and a small limit to reach quickly.
  ctx = {
    ...shared,
    bus: createMemoryBus({ now: () => clock }),
    config: { ...shared.config, ...testConfig({ LOGIN_MAX_ATTEMPTS: "3", LOGIN_LOCKOUT_MS: "60000" }) },
  };
  gate = countingGate();
  await createUser(ctx, "test", { username: "alice", role: "operator", password: "alice's password" });
});

// The seam: every password hash a sign-in computes goes through the gate's check, counted here.
function countingGate(concurrency = 2, queue = 1_000): PasswordGate {
  const real = createPasswordGate({ concurrency, queue });
  return createPasswordGate({
    concurrency,
    queue,
    check: (password, stored) => {
      hashes += 1;
      return real.check(password, stored);
    },
  });
}

const now = () => new Date(clock);
const attempt = (context: AppContext, password: string, username = "alice", clientIp = "10.0.0.1") =>
  login(context, { username, password, clientIp }, { now, gate });
const locked = (retryAfterSeconds: number): Partial<LoginResult> => ({
  ok: false,
  reason: "locked",
  retryAfterSeconds,
  message: `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} s.`,
});

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
    const invalid = { ok: false, reason: "invalid", message: INVALID_LOGIN };
    expect(await attempt(ctx, "wrong password")).toEqual(invalid);
    expect(await attempt(ctx, "alice's password", "nobody")).toEqual(invalid);
    await createUser(ctx, "test", { username: "root", role: "admin", password: "root's password" });
    const [alice] = await ctx.db.db.select().from(users).where(eq(users.username, "alice"));
    await updateUser(ctx, "test", alice?.id ?? "", { disabled: true });
    expect(await attempt(ctx, "alice's password")).toEqual(invalid);
  });

  it("after LOGIN_MAX_ATTEMPTS failures makes that address wait for that user, twice as long each time", async () => {
    for (let i = 0; i < 3; i++)
      expect(await attempt(ctx, "wrong password")).toMatchObject({ reason: "invalid" });
    expect(await attempt(ctx, "alice's password")).toEqual(locked(1));
    clock += 1_000;
    expect(await attempt(ctx, "wrong again")).toMatchObject({ reason: "invalid" });
    expect(await attempt(ctx, "alice's password")).toEqual(locked(2));
    clock += 2_000;
    expect(await attempt(ctx, "wrong again")).toMatchObject({ reason: "invalid" });
    expect(await attempt(ctx, "alice's password")).toEqual(locked(4));
    clock += 4_000;
    expect((await attempt(ctx, "alice's password")).ok).toBe(true);
    // Success forgets the failures: three free attempts again.
    for (let i = 0; i < 3; i++)
      expect(await attempt(ctx, "wrong password")).toMatchObject({ reason: "invalid" });
    expect(await attempt(ctx, "alice's password")).toMatchObject({ reason: "locked" });
  });

  it("never waits longer than LOGIN_LOCKOUT_MS", async () => {
    const waits: number[] = [];
    const capped = { ...ctx, config: { ...ctx.config, LOGIN_LOCKOUT_MS: 8_000 } };
    for (let i = 0; i < 15; i++) {
      const result = await attempt(capped, "wrong password");
      if (result.ok) throw new Error("signed in with a wrong password");
      if (result.reason === "locked") {
        waits.push(result.retryAfterSeconds);
        clock += result.retryAfterSeconds * 1_000;
      }
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it("does not let an attacker's failures from one address lock the user out from another", async () => {
    for (let i = 0; i < 20; i++) await attempt(ctx, "guess", "alice", "203.0.113.66");
    expect(await attempt(ctx, "alice's password", "alice", "203.0.113.66")).toMatchObject({
      reason: "locked",
    });
    expect((await attempt(ctx, "alice's password", "alice", "10.0.0.1")).ok).toBe(true);
  });

  it("treats an unknown username the same way, so delays do not reveal who exists", async () => {
    for (let i = 0; i < 3; i++) await attempt(ctx, "guess", "nobody");
    expect(await attempt(ctx, "guess", "nobody")).toMatchObject({ reason: "locked", retryAfterSeconds: 1 });
  });

  it("caps failed attempts per address across usernames, per LOGIN_LOCKOUT_MS", async () => {
    const limited = (username: string, password = "wrong password") =>
      login(ctx, { username, password, clientIp: "10.9.9.9" }, { now, gate, maxAttemptsPerIp: 2 });
    await limited("a");
    await limited("b");
    expect(await limited("alice", "alice's password")).toMatchObject({
      reason: "locked",
      retryAfterSeconds: 60,
    });
    expect((await attempt(ctx, "alice's password", "alice", "10.0.0.2")).ok).toBe(true);
    clock += 60_000;
    expect((await limited("alice", "alice's password")).ok).toBe(true);
  });

  it("holds the delay in another process sharing the bus", async () => {
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

describe("login under attack", () => {
  it("evaluates at most LOGIN_MAX_ATTEMPTS password hashes for 200 parallel wrong passwords", async () => {
    let running = 0;
    let most = 0;
    const real = createPasswordGate({ concurrency: 2, queue: 1_000 });
    gate = createPasswordGate({
      concurrency: 2,
      queue: 1_000,
      check: async (password, stored) => {
        hashes += 1;
        most = Math.max(most, ++running);
        try {
          return await real.check(password, stored);
        } finally {
          running -= 1;
        }
      },
    });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => attempt(ctx, `wrong ${i}`)));
    expect(hashes).toBeLessThanOrEqual(3);
    expect(most).toBeLessThanOrEqual(2);
    expect(results.filter((result) => !result.ok && result.reason === "invalid")).toHaveLength(hashes);
    expect(results.filter((result) => !result.ok && result.reason === "locked")).toHaveLength(200 - hashes);
  });

  it("answers busy at once, without hashing, when more sign-ins wait than the queue holds", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    gate = createPasswordGate({
      concurrency: 1,
      queue: 1,
      check: async () => {
        hashes += 1;
        await held;
        return false;
      },
    });
    const first = attempt(ctx, "wrong", "alice", "10.0.0.1");
    const second = attempt(ctx, "wrong", "alice", "10.0.0.2");
    await expect.poll(() => hashes).toBe(1);
    expect(await attempt(ctx, "alice's password", "alice", "10.0.0.3")).toEqual({
      ok: false,
      reason: "busy",
      retryAfterSeconds: 1,
      message: "Sign-in is busy. Try again in a moment.",
    });
    release();
    await Promise.all([first, second]);
    expect(hashes).toBe(2);
  });

  it("does no work for a username or password longer than any can be: no hash, no bus key, no query", async () => {
    const queries: unknown[] = [];
    const watched = {
      ...ctx,
      db: {
        ...ctx.db,
        get db(): typeof ctx.db.db {
          queries.push("query");
          return ctx.db.db;
        },
      },
    };
    const huge = "x".repeat(4 * 1024 * 1024);
    const before = ctx.bus.size;
    for (const [username, password] of [
      [huge, "password"],
      ["alice", huge],
      [`alice${"\u0000".repeat(10)}`, "alice's password"],
    ] as const) {
      const result = await login(watched, { username, password, clientIp: "10.0.0.1" }, { now, gate });
      expect(result).toEqual({ ok: false, reason: "invalid", message: INVALID_LOGIN });
    }
    expect(hashes).toBe(0);
    expect(ctx.bus.size).toBe(before);
    expect(queries).toEqual([]);
  });
});

describe("what a failed sign-in logs", () => {
  it("never what was typed: the user's id when the name exists, nothing of it otherwise", async () => {
    const lines: unknown[] = [];
    const record = (...args: unknown[]) => {
      lines.push(args);
    };
    const log = { ...ctx.log, info: record, warn: record, debug: record, error: record } as unknown as Logger;
    const spied = { ...ctx, log };
    await login(
      spied,
      { username: "alice", password: "my secret password", clientIp: "10.0.0.1" },
      { now, gate },
    );
    await login(spied, { username: "my other secret", password: "x", clientIp: "10.0.0.1" }, { now, gate });
    const text = JSON.stringify(lines);
    expect(text).not.toContain("my secret password");
    expect(text).not.toContain("my other secret");
    expect(text).not.toContain('"alice"');
    const [alice] = await ctx.db.db.select().from(users).where(eq(users.username, "alice"));
    expect(text).toContain(alice?.id ?? "no id");
  });
});
