import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { auditLog } from "../db/schema.js";
import { localPrincipal } from "../mcp/principal.js";
import { createMcpServer } from "../mcp/server.js";
import { describeEachDatabase, type OpenedContext } from "../testing/each-database.js";

// Arguments that PostgreSQL refuses in jsonb as JSON.stringify writes them, or that are too big to keep.
const hostile: Record<string, Record<string, unknown>> = {
  "a lone high surrogate": { text: "\ud800" },
  "a lone low surrogate in a key": { "key\udc00": "x", text: "y" },
  "an emoji split by the 1,000-character cut": { text: `${"a".repeat(999)}😀${"b".repeat(100)}` },
  "a NUL in a value": { text: "a\u0000b" },
  "a NUL in a key": { "a\u0000b": 1, text: "x" },
  "a 4 MiB argument": { text: `${"x".repeat(4 << 20)}\u0000\ud800` },
  "10,000 keys": Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
};

const uniqueId = () => `audit-test-${randomBytes(6).toString("hex")}`;

describeEachDatabase("audit queue with hostile arguments", (database) => {
  let opened: OpenedContext;
  let ctx: AppContext;
  const clients: Client[] = [];

  beforeAll(async () => {
    opened = await database.open({ AUDIT_FLUSH_INTERVAL_MS: "20" });
    ctx = opened.ctx;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await opened?.close();
  });

  // A client whose calls are audited under a principal of its own, so each test counts only its rows.
  async function connect(principalId: string) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const principal = { ...localPrincipal, id: principalId };
    await createMcpServer(ctx, { principal, transport: "in-memory" }).connect(serverSide);
    const client = new Client({ name: "audit-drain-test", version: "1" });
    await client.connect(clientSide);
    clients.push(client);
    return client;
  }

  const rowsOf = (principal: string) =>
    ctx.db.db.select().from(auditLog).where(eq(auditLog.principal, principal)).orderBy(asc(auditLog.id));

  const metric = async (name: string) => {
    const text = await ctx.metrics.registry.getSingleMetricAsString(name).catch(() => "");
    return Number(/ (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
  };

  async function drained(principal: string, rows: number) {
    await expect.poll(() => ctx.audit.depth, { timeout: 15_000, interval: 50 }).toBe(0);
    expect(await rowsOf(principal)).toHaveLength(rows);
  }

  it("writes a well-formed row for every call whose arguments PostgreSQL would refuse as sent", async () => {
    const principal = uniqueId();
    const client = await connect(principal);
    for (const args of Object.values(hostile)) await client.callTool({ name: "echo", arguments: args });
    await drained(principal, Object.keys(hostile).length);

    const [surrogate, lowInKey, emoji, nulValue, nulKey, huge, manyKeys] = (await rowsOf(principal)).map(
      (row) => row.arguments as Record<string, unknown>,
    );
    expect(surrogate).toEqual({ text: "\uFFFD" });
    expect(lowInKey).toEqual({ "key\uFFFD": "x", text: "y" });
    expect(emoji?.text).toBe(`${"a".repeat(999)}…[102 more chars]`);
    expect(nulValue).toEqual({ text: "a\uFFFDb" });
    expect(nulKey).toEqual({ "a\uFFFDb": 1, text: "x" });
    expect(huge?.text).toBe(`${"x".repeat(1_000)}…[${(4 << 20) + 2 - 1_000} more chars]`);
    expect(Object.keys(manyKeys ?? {}).length).toBeLessThanOrEqual(101);
    expect(manyKeys?.k0).toBe(0);
    expect(JSON.stringify(manyKeys)).toContain("more keys not kept");
  });

  it("writes every row after three refused calls and 5,005 ordinary ones", async () => {
    const principal = uniqueId();
    const client = await connect(principal);
    const written = await metric("mcp_audit_written_total");
    for (const text of ["\ud800", `${"a".repeat(999)}😀`, "x"]) {
      const args = text === "x" ? { "a\u0000b": 1, text } : { text };
      await client.callTool({ name: "echo", arguments: args });
    }
    for (let start = 0; start < 5_005; start += 100) {
      const calls = Array.from({ length: Math.min(100, 5_005 - start) }, (_, i) =>
        client.callTool({ name: "echo", arguments: { text: `call ${start + i}` } }),
      );
      await Promise.all(calls);
    }
    await drained(principal, 5_008);
    expect(await metric("mcp_audit_written_total")).toBe(written + 5_008);
    expect(await metric("mcp_audit_queue_depth")).toBe(0);
  });

  it("stores a row the database refuses anyway with a marker instead of its arguments, counts it, and writes its neighbours", async () => {
    // Refusals the sanitizing cannot prevent, made real by the database: a trigger raises on them.
    await ctx.db.db.execute(sql`
      create or replace function refuse_audit_rows() returns trigger language plpgsql as $$
      begin
        if new.arguments ? 'refuse-me' then raise exception 'arguments refused' using errcode = '22023'; end if;
        if new.tool = 'refused-tool' then raise exception 'row refused' using errcode = '22023'; end if;
        return new;
      end $$`);
    await ctx.db.db.execute(sql`
      create trigger refuse_audit_rows before insert on audit_log
      for each row execute function refuse_audit_rows()`);
    try {
      const principal = uniqueId();
      const [rejected, dropped] = [await metric("mcp_audit_rejected_total"), ctx.audit.dropped];
      const entry = (tool: string, args: unknown) => ({
        at: new Date(),
        tool,
        principal,
        transport: "in-memory",
        durationMs: 1,
        outcome: "ok" as const,
        arguments: args,
      });
      for (let i = 0; i < 10; i++) ctx.audit.record(entry("echo", { text: `before ${i}` }));
      ctx.audit.record(entry("echo", { "refuse-me": true, text: "secret-ish" }));
      for (let i = 0; i < 10; i++) ctx.audit.record(entry("echo", { text: `between ${i}` }));
      ctx.audit.record(entry("refused-tool", { text: "never stored" }));
      for (let i = 0; i < 10; i++) ctx.audit.record(entry("echo", { text: `after ${i}` }));

      await drained(principal, 31);
      const rows = await rowsOf(principal);
      const marked = rows.find((row) => JSON.stringify(row.arguments).includes("refused"));
      expect(marked?.arguments).toEqual({
        "[not stored]": expect.stringMatching(/database refused .*22023.*arguments refused/),
      });
      expect(rows.filter((row) => row.tool === "refused-tool")).toEqual([]);
      const texts = rows.map((row) => (row.arguments as { text?: string }).text).filter(Boolean);
      expect(texts).toEqual([
        ...Array.from({ length: 10 }, (_, i) => `before ${i}`),
        ...Array.from({ length: 10 }, (_, i) => `between ${i}`),
        ...Array.from({ length: 10 }, (_, i) => `after ${i}`),
      ]);
      expect(await metric("mcp_audit_rejected_total")).toBe(rejected + 2);
      expect(ctx.audit.dropped).toBe(dropped + 1);
    } finally {
      await ctx.db.db.execute(sql`drop trigger refuse_audit_rows on audit_log`);
    }
  });
});
