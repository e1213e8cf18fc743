import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { createTestContext } from "../testing/context.js";
import { createTestDatabase, realServiceUrl, type TestDatabase } from "../testing/services.js";
import { builtinTools } from "../tools/builtin.js";
import { defineTool } from "../tools/define.js";
import { localPrincipal } from "./principal.js";
import { createMcpServer } from "./server.js";

// Test tools: one query that sleeps, one that leaves a trace (a sequence advanced) if it runs at all.
const sleepy = defineTool({
  name: "sleepy",
  title: "Sleepy",
  description: "Sleeps in the database.",
  input: z.object({ seconds: z.number() }).strict(),
  output: z.object({}),
  annotations: {},
  async run({ db }, { seconds }) {
    await db.execute(sql`select pg_sleep(${seconds})`);
    return {};
  },
});
// The same sleep inside a transaction: postgres.js runs it on a client of its own.
const sleepyInTransaction = defineTool({
  name: "sleepy_in_transaction",
  title: "Sleepy in a transaction",
  description: "Sleeps in the database, inside a transaction.",
  input: z.object({ seconds: z.number() }).strict(),
  output: z.object({}),
  annotations: {},
  async run({ db }, { seconds }) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await tx.execute(sql`select pg_sleep(${seconds})`);
    });
    return {};
  },
});
const trace = defineTool({
  name: "trace",
  title: "Trace",
  description: "Advances a sequence.",
  input: z.object({ sequence: z.string() }).strict(),
  output: z.object({}),
  annotations: {},
  async run({ db }, { sequence }) {
    await db.execute(sql`select nextval(${sequence}::regclass)`);
    return {};
  },
});

const TIMEOUT_MS = 500;

async function open(overrides: Record<string, string> = {}) {
  const ctx = await createTestContext(
    { ...overrides, TOOL_TIMEOUT_MS: String(TIMEOUT_MS) },
    { tools: [...builtinTools, sleepy, sleepyInTransaction, trace] },
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "query-cancel-test", version: "1" });
  await client.connect(clientSide);
  return { ctx, client };
}

const databaseUrl = realServiceUrl("DATABASE_URL");

describe.skipIf(!databaseUrl)("a tool's query ends with its call (PostgreSQL)", () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let client: Client;
  beforeAll(async () => {
    database = await createTestDatabase(databaseUrl ?? "");
    ({ ctx, client } = await open({ DATABASE_URL: database.url }));
  });
  afterAll(async () => {
    await client?.close();
    await ctx?.close();
    await database?.drop();
  });

  // What the server is running for us, as PostgreSQL itself reports it.
  const sleeping = async () => {
    const rows = await ctx.db.db.execute(sql`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
        and query like '%pg_sleep%'`);
    return (rows as unknown as { n: number }[])[0]?.n;
  };

  it("cancels the query when the call times out", async () => {
    const result = await client.callTool({ name: "sleepy", arguments: { seconds: 30 } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/timed out after 500 ms/);
    await expect.poll(sleeping, { timeout: 5_000, interval: 100 }).toBe(0);
  });

  it("cancels a query inside a transaction when the call times out", async () => {
    const result = await client.callTool({ name: "sleepy_in_transaction", arguments: { seconds: 30 } });
    expect(JSON.stringify(result.content)).toMatch(/timed out after 500 ms/);
    await expect.poll(sleeping, { timeout: 5_000, interval: 100 }).toBe(0);
  });

  it("cancels the query when the client cancels the call", async () => {
    const cancel = new AbortController();
    const call = client.callTool({ name: "sleepy", arguments: { seconds: 30 } }, undefined, {
      signal: cancel.signal,
      timeout: 60_000,
    });
    await expect.poll(sleeping, { timeout: 5_000, interval: 50 }).toBe(1);
    cancel.abort("no longer needed");
    await expect(call).rejects.toThrow(/no longer needed/);
    await expect.poll(sleeping, { timeout: 5_000, interval: 100 }).toBe(0);
  });
});

// PGlite runs one statement at a time to its end on its thread (no second thread to deliver a
// cancel, no timer interrupts in WebAssembly); what a cancel can do there is skip a waiting query.
describe("a tool's query ends with its call (PGlite)", () => {
  let ctx: AppContext;
  let client: Client;
  beforeAll(async () => {
    ({ ctx, client } = await open());
  });
  afterAll(async () => {
    await client?.close();
    await ctx?.close();
  });

  const probe = async (sequence: string) => {
    await ctx.db.db.execute(sql.raw(`create sequence ${sequence}`));
    return { sequence };
  };
  const traced = async ({ sequence }: { sequence: string }) => {
    const rows = await ctx.db.db.execute(sql.raw(`select is_called from ${sequence}`));
    return (rows as unknown as { is_called: boolean }[])[0]?.is_called;
  };

  it("never runs a query still waiting when its call times out", async () => {
    const args = await probe("probe_timeout");
    const busy = client.callTool({ name: "sleepy", arguments: { seconds: 1.5 } });
    const waiting = await client.callTool({ name: "trace", arguments: args });
    expect(JSON.stringify(waiting.content)).toMatch(/timed out after 500 ms/);
    await busy;
    expect(await traced(args)).toBe(false);
  });

  it("never runs a query still waiting when the client cancels its call", async () => {
    const args = await probe("probe_cancel");
    const busy = client.callTool({ name: "sleepy", arguments: { seconds: 1.5 } });
    const cancel = new AbortController();
    const waiting = client.callTool({ name: "trace", arguments: args }, undefined, { signal: cancel.signal });
    setTimeout(() => cancel.abort("no longer needed"), 100);
    await expect(waiting).rejects.toThrow(/no longer needed/);
    await busy;
    expect(await traced(args)).toBe(false);
  });
});
