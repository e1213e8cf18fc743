import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { adminAudit, auditLog } from "../db/schema.js";
import { createTestContext } from "../testing/context.js";
import { pruneAudit, startAuditRetention } from "./retention.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const DAY = 86_400_000;
const now = Date.parse("2026-06-01T00:00:00Z");

async function seed(tool: string, ages: number[]) {
  await ctx.db.db.insert(auditLog).values(
    ages.map((days) => ({
      at: new Date(now - days * DAY),
      tool,
      principal: "local",
      transport: "stdio",
      durationMs: 1,
      outcome: "ok",
    })),
  );
  await ctx.db.db.insert(adminAudit).values(
    ages.map((days) => ({
      at: new Date(now - days * DAY),
      actor: tool,
      action: "tool.update",
      targetType: "tool",
      targetId: tool,
    })),
  );
}

const left = async (tool: string) => ({
  calls: (await ctx.db.db.select().from(auditLog)).filter((row) => row.tool === tool).length,
  actions: (await ctx.db.db.select().from(adminAudit)).filter((row) => row.actor === tool).length,
});

describe("audit retention", () => {
  it("deletes only rows older than the cut-off, across several batches", async () => {
    await seed("prune-a", [1, 10, 89, 91, 100, 200, 365]);
    const result = await pruneAudit(ctx.db.db, { olderThan: new Date(now - 90 * DAY), batchSize: 2 });
    expect(result).toEqual({ toolCalls: 4, adminActions: 4 });
    expect(await left("prune-a")).toEqual({ calls: 3, actions: 3 });
  });

  it("prunes once at start with the configured retention, and stops cleanly", async () => {
    await seed("prune-b", [5, 40]);
    const retention = startAuditRetention({
      db: ctx.db.db,
      log: ctx.log,
      retentionDays: 30,
      now: () => new Date(now),
    });
    await retention.stop();
    expect(await left("prune-b")).toEqual({ calls: 1, actions: 1 });
  });

  it("vacuums after a pass that deleted rows, when asked: new rows reuse the space of the old", async () => {
    const pages = async () => {
      const [row] = await ctx.db.db
        .select({ pages: sql<number>`pg_relation_size('audit_log') / current_setting('block_size')::int` })
        .from(sql`(select 1) as one`);
      return Number(row?.pages);
    };
    const ages = Array.from({ length: 2_000 }, () => 100);
    await seed("prune-c", ages);
    const before = await pages();
    const retention = startAuditRetention({
      db: ctx.db.db,
      log: ctx.log,
      retentionDays: 30,
      vacuum: true,
      now: () => new Date(now),
    });
    await retention.stop();
    await seed("prune-d", ages);
    // Without the vacuum, the second batch would land after the first's dead rows: twice the pages.
    expect(await pages()).toBeLessThan(before * 1.5);
  });
});
