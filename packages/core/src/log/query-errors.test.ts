import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { auditLog } from "../db/schema.js";
import { localPrincipal } from "../mcp/principal.js";
import { createMcpServer } from "../mcp/server.js";
import { describeEachDatabase, type OpenedContext } from "../testing/each-database.js";
import { type CapturedLog, captureLog } from "../testing/log-capture.js";
import { builtinTools } from "../tools/builtin.js";
import { defineTool } from "../tools/define.js";
import { describeError } from "./errors.js";

const SECRET = "sk-live-4f9a8b7c6d5e";
// Invalid JSON holding the secret: PostgreSQL refuses it and quotes it back in the error's context.
const leakyJson = `{"note": "${SECRET}"`;

// A tool whose query fails while carrying the secret as a parameter.
const leakyQuery = defineTool({
  name: "leaky_query",
  title: "Leaky query",
  description: "Runs a query that fails, with a secret among its parameters.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: {},
  async run({ db }) {
    await db.execute(sql`select ${leakyJson}::jsonb`);
    return {};
  },
});

function expectSafe(text: string) {
  expect(text).not.toContain(SECRET);
  expect(text).toMatch(/22P02|invalid input syntax for type json/);
}

describeEachDatabase("failed queries in the log", (database) => {
  let captured: CapturedLog;
  let opened: OpenedContext;
  let ctx: AppContext;

  beforeAll(async () => {
    captured = captureLog();
    opened = await database.open(
      { AUDIT_FLUSH_INTERVAL_MS: "20" },
      { log: captured.log, tools: [...builtinTools, leakyQuery] },
    );
    ctx = opened.ctx;
  });
  afterAll(() => opened?.close());

  const failure = () =>
    ctx.db.db.execute(sql`select ${leakyJson}::jsonb`).then(
      () => undefined,
      (e) => e,
    );

  it("shows the SQLSTATE and the driver's message, never the parameters, however the error is logged", async () => {
    const error = await failure();
    expect(error).toBeInstanceOf(Error);
    const { log, text } = captureLog();
    log.error({ err: error }, "query failed");
    log.error(error);
    log.warn({ err: String(error) }, "as text");
    log.error({ err: new Error("while saving", { cause: error }) }, "wrapped");
    const lines = text().trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, 2)) {
      expectSafe(line);
      expect(JSON.parse(line).err.code).toBe("22P02");
    }
    expect(lines[2]).not.toContain(SECRET);
    expect(lines[2]).toContain("Failed query: select $1::jsonb");
    expectSafe(lines[3] ?? "");
    expect(JSON.parse(lines[3] ?? "{}").err.message).toMatch(
      /^while saving: Failed query: select \$1::jsonb/,
    );
    expect(describeError(error)).toMatch(
      /^Failed query: select \$1::jsonb: invalid input syntax for type json/,
    );
  });

  it("logs a tool's failed query, and audits it, without the query's parameters", async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
    const client = new Client({ name: "query-errors-test", version: "1" });
    await client.connect(clientSide);
    try {
      await expect(client.callTool({ name: "leaky_query", arguments: {} })).rejects.toThrow(
        /Tool leaky_query failed/,
      );
    } finally {
      await client.close();
    }
    const line = captured
      .text()
      .split("\n")
      .find((entry) => entry.includes("tool call failed"));
    expectSafe(line ?? "");
    await expect.poll(() => ctx.audit.depth, { timeout: 10_000, interval: 50 }).toBe(0);
    const [row] = await ctx.db.db.select().from(auditLog).where(eq(auditLog.tool, "leaky_query"));
    expect(row?.error).toMatch(/invalid input syntax for type json/);
    expect(row?.error).not.toContain(SECRET);
  });

  it("warns of a refused audit batch without the batch", async () => {
    await ctx.db.db.execute(sql`
      create or replace function refuse_audit_rows() returns trigger language plpgsql as $$
      begin
        if new.arguments ? 'refuse-me' then raise exception 'arguments refused' using errcode = '22023'; end if;
        return new;
      end $$`);
    await ctx.db.db.execute(sql`
      create trigger refuse_audit_rows before insert on audit_log
      for each row execute function refuse_audit_rows()`);
    try {
      const entry = (args: unknown) => ({
        at: new Date(),
        tool: "echo",
        principal: "local",
        transport: "in-memory",
        durationMs: 1,
        outcome: "ok" as const,
        arguments: args,
      });
      ctx.audit.record(entry({ text: "ordinary" }));
      ctx.audit.record(entry({ "refuse-me": true, text: SECRET }));
      await expect.poll(() => ctx.audit.depth, { timeout: 10_000, interval: 50 }).toBe(0);
      const lines = captured
        .text()
        .split("\n")
        .filter((line) => line.includes('"msg":"audit'));
      expect(lines.join("\n")).toContain("arguments refused");
      expect(lines.join("\n")).toContain("22023");
      expect(lines.join("\n")).not.toContain(SECRET);
    } finally {
      await ctx.db.db.execute(sql`drop trigger refuse_audit_rows on audit_log`);
    }
  });
});
