import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppContext } from "../context.js";
import { auditLog } from "../db/schema.js";
import { localPrincipal } from "../mcp/principal.js";
import { createMcpServer } from "../mcp/server.js";
import { createMetrics } from "../metrics/metrics.js";
import { createTestContext } from "../testing/context.js";
import { captureLog } from "../testing/log-capture.js";
import { canStartThrowaway, startThrowawayPostgres, type ThrowawayServer } from "../testing/throwaway.js";
import { createAuditQueue } from "./queue.js";
import type { AuditEntry } from "./row.js";

async function connect(ctx: AppContext) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "audit-test", version: "1" });
  await client.connect(clientSide);
  return client;
}

const auditCount = async (ctx: AppContext) =>
  (await ctx.db.db.select({ n: count() }).from(auditLog))[0]?.n ?? 0;

describe.skipIf(!canStartThrowaway("postgres"))("audit queue through a database outage", () => {
  let postgres: ThrowawayServer;
  let ctx: AppContext;
  let client: Client;

  const captured = captureLog();

  beforeAll(async () => {
    postgres = await startThrowawayPostgres();
    ctx = await createTestContext(
      { DATABASE_URL: postgres.url, AUDIT_FLUSH_INTERVAL_MS: "50" },
      { log: captured.log },
    );
    client = await connect(ctx);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await ctx?.close();
    await postgres?.destroy();
  });

  it("keeps calls succeeding while the database is down and writes their rows once it is back", async () => {
    for (let i = 0; i < 10; i++) await client.callTool({ name: "echo", arguments: { text: `before ${i}` } });
    await expect.poll(() => auditCount(ctx)).toBe(10);

    await postgres.stop();
    for (let i = 0; i < 50; i++) {
      const result = await client.callTool({ name: "echo", arguments: { text: `during ${i}` } });
      expect(result.structuredContent).toEqual({ text: `during ${i}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ctx.audit.depth).toBe(50);

    await postgres.start();
    await expect.poll(() => auditCount(ctx).catch(() => -1), { timeout: 20_000, interval: 200 }).toBe(60);
    expect(ctx.audit.dropped).toBe(0);
    expect(await ctx.metrics.registry.getSingleMetricAsString("mcp_audit_queue_depth")).toMatch(
      /mcp_audit_queue_depth 0/,
    );
    // The warning names the failed insert, not the batch it carried.
    const warning = captured
      .text()
      .split("\n")
      .find((line) => line.includes("audit write failed"));
    expect(warning).toContain("Failed query: insert into audit_log");
    expect(warning).not.toContain("during 0");
  });
});

describe("audit queue bounds", () => {
  let ctx: AppContext;
  let client: Client;
  beforeAll(async () => {
    ctx = await createTestContext({
      AUDIT_QUEUE_MAX: "5",
      AUDIT_QUEUE_MAX_BYTES: "150000",
      AUDIT_FLUSH_INTERVAL_MS: "60000",
      AUDIT_BATCH_SIZE: "1000",
    });
    client = await connect(ctx);
  });
  afterAll(async () => {
    await client?.close();
    await ctx?.close();
  });

  it("drops past the bound in rows, counts the drops and shows them in the metrics", async () => {
    for (let i = 0; i < 8; i++) await client.callTool({ name: "echo", arguments: { text: String(i) } });
    expect(ctx.audit.depth).toBe(5);
    expect(ctx.audit.dropped).toBe(3);
    expect(await ctx.metrics.registry.getSingleMetricAsString("mcp_audit_dropped_total")).toMatch(
      /mcp_audit_dropped_total 3/,
    );
    expect(await ctx.audit.flush(5_000)).toBe(true);
    expect(await auditCount(ctx)).toBe(5);
  });

  it("drops past the bound in bytes, whatever the row count", async () => {
    // Each call's arguments keep 32,000 characters at most: about 64 kB a record, two fit in 150 kB.
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "x".repeat(1_000)]));
    const dropped = ctx.audit.dropped;
    for (let i = 0; i < 4; i++) await client.callTool({ name: "echo", arguments: wide });
    expect(ctx.audit.depth).toBe(2);
    expect(ctx.audit.dropped).toBe(dropped + 2);
    expect(ctx.audit.bytes).toBeLessThanOrEqual(150_000);
    expect(await ctx.metrics.registry.getSingleMetricAsString("mcp_audit_queue_bytes")).toMatch(
      new RegExp(`mcp_audit_queue_bytes ${ctx.audit.bytes}`),
    );
    expect(await ctx.audit.flush(5_000)).toBe(true);
    expect(ctx.audit.bytes).toBe(0);
  });
});

describe("audit queue batching", () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx?.close());

  const entry = (tool: string): AuditEntry => ({
    at: new Date(),
    tool,
    principal: "batching-test",
    transport: "test",
    durationMs: 1,
    outcome: "ok",
    arguments: { text: "hi" },
  });

  it("leaves the rows that arrive while a batch is written for the next batch, rather than writing them at once", async () => {
    // Each insert waits for the test's go-ahead: rows can arrive while one is being written.
    const inserts: Array<() => void> = [];
    const db = new Proxy(ctx.db.db, {
      get: (target, key, receiver) =>
        key === "execute"
          ? async (query: Parameters<typeof target.execute>[0]) => {
              await new Promise<void>((resolve) => inserts.push(resolve));
              return target.execute(query);
            }
          : Reflect.get(target, key, receiver),
    });
    const queue = createAuditQueue({
      db,
      log: ctx.log,
      metrics: createMetrics(),
      batchSize: 4,
      flushIntervalMs: 3_600_000,
    });
    try {
      for (const tool of ["a", "b", "c", "d"]) queue.record(entry(tool));
      await until(() => expect(inserts).toHaveLength(1));
      queue.record(entry("e"));
      queue.record(entry("f"));
      inserts.shift()?.();
      await until(() => expect(queue.depth).toBe(2));
      // Two rows wait: not a batch, so no insert of two rows until the next tick (or two more rows).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(inserts).toHaveLength(0);
      queue.record(entry("g"));
      queue.record(entry("h"));
      await until(() => expect(inserts).toHaveLength(1));
      inserts.shift()?.();
      await until(() => expect(queue.depth).toBe(0));
      const written = await ctx.db.db
        .select({ tool: auditLog.tool })
        .from(auditLog)
        .where(eq(auditLog.principal, "batching-test"));
      expect(written.map((row) => row.tool).sort()).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    } finally {
      queue.close();
    }
  });
});

const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 5_000, interval: 5 });
