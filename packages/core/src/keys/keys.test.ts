import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { adminAudit, apiKeys } from "../db/schema.js";
import { createTestContext } from "../testing/context.js";
import { createApiKey } from "./create.js";
import { listApiKeys } from "./list.js";
import { revokeApiKey } from "./revoke.js";
import { inScope, parseScope } from "./scope.js";
import { hashSecret } from "./secret.js";
import { createLastUsedThrottle, verifyApiKey } from "./verify.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const create = (extra: Partial<Parameters<typeof createApiKey>[1]> = {}) =>
  createApiKey(ctx.db.db, { name: "ci", scope: { kind: "all" }, createdBy: "alice", ...extra });

describe("API keys", () => {
  it("returns a secret mcpt_<prefix>_<random> once and stores only its SHA-256", async () => {
    const { key, secret } = await create({ rateLimitPerMinute: 30 });
    expect(secret).toMatch(new RegExp(`^mcpt_${key.prefix}_[A-Za-z0-9_-]{43}$`));
    expect(key.prefix).toMatch(/^[a-z0-9]{8}$/);
    expect(key).not.toHaveProperty("secretHash");
    const [row] = await ctx.db.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.secretHash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret.split("_")[2]);
    const [audit] = await ctx.db.db.select().from(adminAudit).where(eq(adminAudit.targetId, key.id));
    expect(audit).toMatchObject({ actor: "alice", action: "api_key.create" });
  });

  it("lists keys without hashes", async () => {
    const { key } = await create({ name: "listed" });
    const listed = (await listApiKeys(ctx.db.db)).find((k) => k.id === key.id);
    expect(listed).toMatchObject({ name: "listed", prefix: key.prefix, scope: { kind: "all" } });
    expect(listed).not.toHaveProperty("secretHash");
  });

  it("refuses a missing, malformed, wrong, expired or revoked token, naming why", async () => {
    const { secret } = await create();
    const expired = await create({ expiresAt: new Date(Date.now() - 1) });
    const revoked = await create();
    await revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, revoked.key.id, "alice");
    const reasons = await Promise.all(
      [
        undefined,
        "garbage",
        `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`,
        expired.secret,
        revoked.secret,
      ].map(async (token) => {
        const result = await verifyApiKey(ctx.db.db, token);
        return result.ok ? "ok" : result.reason;
      }),
    );
    expect(reasons).toEqual(["missing", "invalid", "invalid", "expired", "revoked"]);
  });

  it("accepts a valid key and writes last_used_at at most once a minute", async () => {
    const { key, secret } = await create();
    const lastUsed = createLastUsedThrottle();
    const at = (ms: number) => () => new Date(ms);
    const lastUsedAt = async () =>
      (await ctx.db.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]?.lastUsedAt?.getTime();
    const t0 = Date.UTC(2030, 0, 1);
    expect(await verifyApiKey(ctx.db.db, secret, { now: at(t0), lastUsed })).toMatchObject({
      ok: true,
      key: { id: key.id },
    });
    expect(await lastUsedAt()).toBe(t0);
    await verifyApiKey(ctx.db.db, secret, { now: at(t0 + 30_000), lastUsed });
    expect(await lastUsedAt()).toBe(t0);
    await verifyApiKey(ctx.db.db, secret, { now: at(t0 + 61_000), lastUsed });
    expect(await lastUsedAt()).toBe(t0 + 61_000);
  });

  it("revokes once and reports an unknown key as NOT_FOUND", async () => {
    const { key } = await create();
    const first = await revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, key.id, "alice");
    const again = await revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, key.id, "alice");
    expect(again.revokedAt).toEqual(first.revokedAt);
    await expect(
      revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, crypto.randomUUID(), "alice"),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, "not-a-uuid", "alice")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("key scopes", () => {
  const reader = { name: "reader", annotations: { readOnlyHint: true } };
  const writer = { name: "writer", annotations: {} };

  it("parses all, read-only and tools:a,b and refuses anything else", () => {
    expect(parseScope("all")).toEqual({ kind: "all" });
    expect(parseScope("read-only")).toEqual({ kind: "read-only" });
    expect(parseScope("tools: echo, note_get")).toEqual({ kind: "tools", tools: ["echo", "note_get"] });
    expect(() => parseScope("tools:")).toThrow();
    expect(() => parseScope("everything")).toThrow(/Unknown scope/);
  });

  it("counts as read-only only a tool annotated readOnlyHint: true", () => {
    expect(inScope({ kind: "read-only" }, reader)).toBe(true);
    expect(inScope({ kind: "read-only" }, writer)).toBe(false);
    expect(inScope({ kind: "tools", tools: ["writer"] }, writer)).toBe(true);
    expect(inScope({ kind: "tools", tools: ["writer"] }, reader)).toBe(false);
    expect(inScope({ kind: "all" }, writer)).toBe(true);
  });
});
