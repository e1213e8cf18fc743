import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryBus } from "../bus/memory.js";
import type { AppContext } from "../context.js";
import { createTestContext } from "../testing/context.js";
import { createApiKey } from "./create.js";
import { revokeApiKey } from "./revoke.js";
import { createKeyVerifier } from "./verifier.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe("createKeyVerifier", () => {
  it("drops a cached key in every verifier on the bus as soon as it is revoked", async () => {
    const bus = createMemoryBus();
    const [a, b] = await Promise.all([
      createKeyVerifier({ db: ctx.db.db, bus, log: ctx.log }),
      createKeyVerifier({ db: ctx.db.db, bus, log: ctx.log }),
    ]);
    const { key, secret } = await createApiKey(ctx.db.db, {
      name: "cached",
      scope: { kind: "all" },
      createdBy: "t",
    });
    expect((await a.verify(secret)).ok).toBe(true);
    expect((await b.verify(secret)).ok).toBe(true);
    await revokeApiKey({ db: ctx.db.db, bus }, key.id, "t");
    await expect.poll(async () => (await a.verify(secret)).ok).toBe(false);
    expect(await b.verify(secret)).toEqual({ ok: false, reason: "revoked" });
    await Promise.all([a.close(), b.close()]);
  });

  it("checks expiry on every request, cached or not", async () => {
    let now = new Date("2030-01-01T00:00:00Z");
    const verifier = await createKeyVerifier({
      db: ctx.db.db,
      bus: createMemoryBus(),
      log: ctx.log,
      now: () => now,
    });
    const { secret } = await createApiKey(ctx.db.db, {
      name: "short-lived",
      scope: { kind: "all" },
      expiresAt: new Date("2030-01-01T00:00:10Z"),
      createdBy: "t",
    });
    expect((await verifier.verify(secret)).ok).toBe(true);
    now = new Date("2030-01-01T00:00:11Z");
    expect(await verifier.verify(secret)).toEqual({ ok: false, reason: "expired" });
    await verifier.close();
  });

  it("refuses a wrong secret for a known prefix, and missing or malformed tokens", async () => {
    const verifier = await createKeyVerifier({ db: ctx.db.db, bus: createMemoryBus(), log: ctx.log });
    const { secret } = await createApiKey(ctx.db.db, {
      name: "real",
      scope: { kind: "all" },
      createdBy: "t",
    });
    expect((await verifier.verify(secret)).ok).toBe(true);
    expect(await verifier.verify(`${secret.slice(0, -4)}AAAA`)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifier.verify(undefined)).toEqual({ ok: false, reason: "missing" });
    expect(await verifier.verify("not-a-key")).toEqual({ ok: false, reason: "invalid" });
    await verifier.close();
  });
});
