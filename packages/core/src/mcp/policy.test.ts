import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { adminAudit, auditLog } from "../db/schema.js";
import { createTestContext } from "../testing/context.js";
import { defineTool } from "../tools/define.js";
import { updateToolSettings } from "../tools/settings/update.js";
import { localPrincipal, type Principal } from "./principal.js";
import { RATE_LIMITED_CODE } from "./rate-limit.js";
import { createMcpServer } from "./server.js";

const tool = (name: string, readOnly: boolean) =>
  defineTool({
    name,
    title: name,
    description: `The ${name} tool`,
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    annotations: { readOnlyHint: readOnly },
    run: async () => ({ ok: true }),
  });
const names = ["reader", "writer", "hidden", "described", "limited", "spare"];
const tools = names.map((name) => tool(name, name !== "writer"));

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({}, { tools });
});
afterAll(() => ctx.close());

/** An SDK client on its own server for `principal`, counting the list_changed notifications it gets. */
async function connect(principal: Principal = localPrincipal) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(ctx, { principal, transport: "in-memory" });
  await server.connect(serverSide);
  const client = new Client({ name: "policy", version: "1" });
  const notified: number[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    notified.push(Date.now());
  });
  await client.connect(clientSide);
  const visible = async () => (await client.listTools()).tools.map((t) => t.name);
  return { client, server, notified, visible };
}

const keyed = (scope: Principal["scope"], rateLimitPerMinute?: number): Principal => ({
  id: `key:${crypto.randomUUID().slice(0, 8)}`,
  kind: "key",
  scope,
  rateLimitPerMinute,
  key: { id: crypto.randomUUID(), prefix: "abcd1234" },
});

async function lastAudit(toolName: string) {
  await ctx.audit.flush(5_000);
  const [row] = await ctx.db.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.tool, toolName))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row;
}

describe("tool policy in createMcpServer", () => {
  it("applies a description override in tools/list", async () => {
    const { client } = await connect();
    await updateToolSettings(ctx, "described", { descriptionOverride: "Use this one for reports" }, "alice");
    const described = (await client.listTools()).tools.find((t) => t.name === "described");
    expect(described?.description).toBe("Use this one for reports");
    await client.close();
  });

  it("sends list_changed to a client that saw a tool being disabled, which then no longer sees it", async () => {
    const { client, notified, visible } = await connect();
    expect(await visible()).toContain("hidden");
    const started = Date.now();
    await updateToolSettings(ctx, "hidden", { enabled: false }, "alice");
    await expect.poll(() => notified.length, { timeout: 1_000 }).toBe(1);
    expect((notified[0] ?? Infinity) - started).toBeLessThan(1_000);
    expect(await visible()).not.toContain("hidden");
    await expect(client.callTool({ name: "hidden", arguments: {} })).rejects.toThrow(/Unknown tool: hidden/);
    expect(await lastAudit("hidden")).toMatchObject({ outcome: "denied", principal: "local" });
    await client.close();
  });

  it("sends nothing to a client whose visible list did not change", async () => {
    const readOnly = await connect(keyed({ kind: "read-only" }));
    const everything = await connect();
    expect(await readOnly.visible()).not.toContain("writer");
    await everything.visible();
    await updateToolSettings(ctx, "writer", { enabled: false }, "alice");
    await expect.poll(() => everything.notified.length, { timeout: 1_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readOnly.notified).toEqual([]);
    await updateToolSettings(ctx, "writer", { enabled: true }, "alice");
    await Promise.all([readOnly.client.close(), everything.client.close()]);
  });

  it("stops listening for changes when the server closes", async () => {
    const before = ctx.toolSettings.listeners;
    const { client } = await connect();
    expect(ctx.toolSettings.listeners).toBe(before + 1);
    await client.close();
    await expect.poll(() => ctx.toolSettings.listeners).toBe(before);
  });

  it("refuses calls over a key's rate limit with a JSON-RPC error saying when to retry, audited", async () => {
    const { client } = await connect(keyed({ kind: "all" }, 2));
    await client.callTool({ name: "reader", arguments: {} });
    await client.callTool({ name: "reader", arguments: {} });
    const error = await client.callTool({ name: "reader", arguments: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    const { code, message, data } = error as McpError;
    expect(code).toBe(RATE_LIMITED_CODE);
    expect(message).toMatch(
      /Rate limit of 2 calls per minute reached for API key mcpt_abcd1234; retry in \d+ s/,
    );
    const { retryAfterSeconds } = data as { retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await lastAudit("reader")).toMatchObject({ outcome: "rate_limited" });
    await client.close();
  });

  it("limits a tool across callers when its setting says so", async () => {
    await updateToolSettings(ctx, "limited", { rateLimitPerMinute: 1 }, "alice");
    const a = await connect();
    const b = await connect(keyed({ kind: "all" }));
    await a.client.callTool({ name: "limited", arguments: {} });
    await expect(b.client.callTool({ name: "limited", arguments: {} })).rejects.toThrow(
      /Rate limit of 1 calls per minute reached for tool limited/,
    );
    await Promise.all([a.client.close(), b.client.close()]);
  });
});

describe("updateToolSettings", () => {
  it("refuses an unknown tool with NOT_FOUND", async () => {
    await expect(updateToolSettings(ctx, "nope", { enabled: false }, "alice")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("records who changed what, with the state before and after", async () => {
    await updateToolSettings(ctx, "spare", { enabled: false, rateLimitPerMinute: 10 }, "bob");
    const [row] = await ctx.db.db.select().from(adminAudit).orderBy(desc(adminAudit.id)).limit(1);
    expect(row).toMatchObject({
      actor: "bob",
      action: "tool.update",
      targetType: "tool",
      targetId: "spare",
      before: { enabled: true, descriptionOverride: null, rateLimitPerMinute: null },
      after: { enabled: false, descriptionOverride: null, rateLimitPerMinute: 10 },
    });
  });
});
