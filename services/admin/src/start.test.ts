import { type AppContext, listToolCalls } from "@mcp-tools/core";
import { createTestContext, createTestDatabase, realServiceUrl } from "@mcp-tools/core/testing";
import { describe, expect, it } from "vitest";
import { start } from "./start.js";

const databaseUrl = realServiceUrl("DATABASE_URL");
const DAY = 86_400_000;

/** An audit row 31 days old ("old") and one 29 days old ("recent"), with 30 days of retention. */
async function recordOldAndRecent(ctx: AppContext) {
  const call = { tool: "echo", transport: "stdio", durationMs: 1, outcome: "ok" as const, arguments: {} };
  ctx.audit.record({ ...call, principal: "old", at: new Date(Date.now() - 31 * DAY) });
  ctx.audit.record({ ...call, principal: "recent", at: new Date(Date.now() - 29 * DAY) });
  await ctx.audit.flush(5_000);
}

const principals = async (ctx: AppContext) =>
  (await listToolCalls(ctx.db.db)).rows.map((row) => row.principal);
const settings = { AUDIT_RETENTION_DAYS: "30", ADMIN_PASSWORD: "a test password" };

describe.skipIf(!databaseUrl)("start on PostgreSQL", () => {
  it("prunes audit rows past AUDIT_RETENTION_DAYS as soon as it starts, and stops cleanly", async () => {
    const database = await createTestDatabase(databaseUrl ?? "");
    const ctx = await createTestContext({ ...settings, DATABASE_URL: database.url });
    try {
      await recordOldAndRecent(ctx);
      const service = await start(ctx, { host: "127.0.0.1", port: 0 });
      try {
        await expect.poll(() => principals(ctx)).toEqual(["recent"]);
      } finally {
        await service.stop();
      }
    } finally {
      await ctx.close();
      await database.drop();
    }
  });
});

describe("start on the embedded database", () => {
  it("leaves pruning to the process holding the database, whatever it serves", async () => {
    const ctx = await createTestContext(settings);
    try {
      await recordOldAndRecent(ctx);
      const service = await start(ctx, { host: "127.0.0.1", port: 0 });
      await service.stop();
      expect((await principals(ctx)).sort()).toEqual(["old", "recent"]);
    } finally {
      await ctx.close();
    }
  });
});
