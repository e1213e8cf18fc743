import { type AppContext, createPasswordGate, createUser, type PasswordGate } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { loginForm } from "./test-support.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091", LOGIN_MAX_ATTEMPTS: "3" });
  await createUser(ctx, "test", { username: "admin", role: "admin", password: "the admin's password" });
});
afterAll(() => ctx.close());

let address = 0;
const appFrom = (ip = `10.5.0.${++address}`, passwords?: PasswordGate) =>
  createAdminApp(ctx, { clientIp: () => ip, passwords });
const signInAs = (app: ReturnType<typeof appFrom>, username: string, password: string) =>
  app.request("/login", loginForm({ username, password }));

// Hashes counted through the gate's check, the one place every sign-in hashes a password.
function countingGate(concurrency: number, queue: number) {
  const real = createPasswordGate({ concurrency, queue });
  const counts = { hashes: 0, running: 0, most: 0 };
  const gate = createPasswordGate({
    concurrency,
    queue,
    check: async (password, stored) => {
      counts.hashes += 1;
      counts.most = Math.max(counts.most, ++counts.running);
      try {
        return await real.check(password, stored);
      } finally {
        counts.running -= 1;
      }
    },
  });
  return { gate, counts };
}

const keyCount = () => (ctx.bus as { size?: number }).size ?? Number.NaN;

describe("sign-in under attack", () => {
  it("hashes at most LOGIN_MAX_ATTEMPTS of 200 parallel wrong passwords, the rest get 429 with Retry-After", async () => {
    const { gate, counts } = countingGate(ctx.config.LOGIN_HASH_CONCURRENCY, 1_000);
    const app = appFrom(undefined, gate);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signInAs(app, "admin", `guess number ${i}`)),
    );
    expect(counts.hashes).toBeLessThanOrEqual(3);
    expect(counts.most).toBeLessThanOrEqual(ctx.config.LOGIN_HASH_CONCURRENCY);
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(counts.hashes);
    expect(statuses.filter((status) => status === 429)).toHaveLength(200 - counts.hashes);
    const refused = responses.find((response) => response.status === 429);
    expect(refused?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused?.text()).toMatch(/Too many failed sign-in attempts\. Try again in \d+ s\./);
  });

  it("answers 503 busy with Retry-After, at once, when more sign-ins wait for a hash than the queue holds", async () => {
    let release: () => void = () => {};
    let checking = false;
    const held = new Promise<boolean>((resolve) => {
      release = () => resolve(false);
    });
    const gate = createPasswordGate({
      concurrency: 1,
      queue: 0,
      check: () => {
        checking = true;
        return held;
      },
    });
    const first = signInAs(appFrom(undefined, gate), "admin", "a guess");
    await expect.poll(() => checking).toBe(true);
    const busy = await signInAs(appFrom(undefined, gate), "admin", "the admin's password");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(await busy.text()).toContain("Sign-in is busy. Try again in a moment.");
    release();
    expect((await first).status).toBe(401);
  });

  it("keeps memory flat through 200 sign-ins with 4 MB usernames: no bus key, a bounded heap", async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("run with --expose-gc (see vitest.config.ts)");
    const app = appFrom();
    await signInAs(app, "admin", "warm up the path");
    // The form as a browser encodes it ("x" needs no escaping), built once: each name differs in front.
    const filler = "x".repeat(4_000_000);
    const hugeName = (n: number) => ({ ...loginForm({}), body: `username=${n}-${filler}&password=pw` });
    gc();
    const [keysBefore, heapBefore] = [keyCount(), process.memoryUsage().heapUsed];
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => app.request("/login", hugeName(batch * 10 + i))),
      );
      for (const response of responses) expect(response.status).toBeLessThan(500);
      // Checked each batch: on failure, stop before the process runs out of memory.
      expect(keyCount() - keysBefore).toBeLessThanOrEqual(2);
    }
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it("costs a long name inside the body limit no hash and no bus key either", async () => {
    const { gate, counts } = countingGate(2, 16);
    const app = appFrom(undefined, gate);
    const before = keyCount();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signInAs(app, `${i}${"y".repeat(8_000)}`, "password")),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(401));
    expect(counts.hashes).toBe(0);
    expect(keyCount()).toBe(before);
  });
});

describe("lockout", () => {
  it("an attacker failing as admin from one address does not stop admin signing in from another", async () => {
    const attacker = appFrom("203.0.113.66");
    for (let i = 0; i < 30; i++) await signInAs(attacker, "admin", `guess ${i}`);
    expect((await signInAs(attacker, "admin", "the admin's password")).status).toBe(429);
    const response = await signInAs(appFrom("198.51.100.7"), "admin", "the admin's password");
    expect(response.status).toBe(303);
    expect(response.headers.get("set-cookie")).toContain("admin_session=");
  });
});
