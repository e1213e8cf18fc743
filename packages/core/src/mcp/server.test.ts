import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { desc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { auditLog } from "../db/schema.js";
import { AppError } from "../errors.js";
import { createTestContext } from "../testing/context.js";
import { builtinTools } from "../tools/builtin.js";
import { defineTool } from "../tools/define.js";
import { localPrincipal } from "./principal.js";
import { createMcpServer } from "./server.js";

const fail = defineTool({
  name: "fail",
  title: "Fail",
  description: "Fails the way it is told to",
  input: z.object({ code: z.enum(["NOT_FOUND", "INTERNAL", "crash"]), password: z.string().optional() }),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run(_ctx, { code }) {
    if (code === "crash") throw new Error("database exploded at 10.0.0.7");
    throw new AppError(code, `failed with ${code}`);
  },
});
const slow = defineTool({
  name: "slow",
  title: "Slow",
  description: "Waits until aborted",
  input: z.object({}),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  run: (ctx) =>
    new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
});
const liar = defineTool({
  name: "liar",
  title: "Liar",
  description: "Returns output that breaks its own schema",
  input: z.object({}),
  output: z.object({ n: z.number() }),
  annotations: {},
  run: async () => ({ n: "not a number" }) as unknown as { n: number },
});

let ctx: AppContext;
let client: Client;

beforeAll(async () => {
  ctx = await createTestContext({ TOOL_TIMEOUT_MS: "200" }, { tools: [...builtinTools, fail, slow, liar] });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  client = new Client({ name: "test", version: "1" });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
  await ctx.close();
});

async function auditRows() {
  await ctx.audit.flush(5_000);
  return ctx.db.db.select().from(auditLog).orderBy(desc(auditLog.id));
}

describe("createMcpServer", () => {
  it("lists tools with input and output schemas and annotations", async () => {
    const { tools } = await client.listTools();
    const echo = tools.find((tool) => tool.name === "echo");
    expect(echo?.inputSchema).toMatchObject({
      type: "object",
      properties: { text: { type: "string" } },
      required: ["text"],
    });
    expect(echo?.outputSchema).toMatchObject({ type: "object" });
    expect(echo?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  it("returns structured content and a text block", async () => {
    const result = await client.callTool({ name: "echo", arguments: { text: "héllo ✓" } });
    expect(result.structuredContent).toEqual({ text: "héllo ✓" });
    expect(result.content).toEqual([{ type: "text", text: "héllo ✓" }]);
    expect(result.isError).toBeFalsy();
  });

  it("answers a bad argument with an isError result that names the field", async () => {
    const result = await client.callTool({ name: "echo", arguments: { text: 42 } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/text: .*expected string/i);
  });

  it("names unknown fields", async () => {
    const result = await client.callTool({ name: "echo", arguments: { text: "a", colour: "red" } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("colour");
  });

  it("rejects an unknown tool with a JSON-RPC invalid params error", async () => {
    await expect(client.callTool({ name: "nope", arguments: {} })).rejects.toThrow(/Unknown tool: nope/);
  });

  it("maps recoverable errors to isError and hides internal ones", async () => {
    const notFound = await client.callTool({ name: "fail", arguments: { code: "NOT_FOUND" } });
    expect(notFound.isError).toBe(true);
    expect(JSON.stringify(notFound.content)).toContain("failed with NOT_FOUND");
    await expect(client.callTool({ name: "fail", arguments: { code: "crash" } })).rejects.toThrow(
      /Tool fail failed/,
    );
    await expect(client.callTool({ name: "liar", arguments: {} })).rejects.toThrow(/Tool liar failed/);
  });

  it("times a slow tool out with an isError result", async () => {
    const result = await client.callTool({ name: "slow", arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("timed out after 200 ms");
  });

  it("audits successful, failing and invalid calls with secrets redacted", async () => {
    await client.callTool({ name: "echo", arguments: { text: "audited" } });
    await client
      .callTool({ name: "fail", arguments: { code: "INTERNAL", password: "hunter2" } })
      .catch(() => undefined);
    await client.callTool({ name: "echo", arguments: { text: 7 } });
    const [invalid, failed, ok] = await auditRows();
    expect(ok).toMatchObject({
      tool: "echo",
      outcome: "ok",
      principal: "local",
      transport: "in-memory",
      arguments: { text: "audited" },
    });
    expect(failed).toMatchObject({
      tool: "fail",
      outcome: "error",
      arguments: { code: "INTERNAL", password: "[redacted]" },
    });
    expect(failed?.error).toContain("failed with INTERNAL");
    expect(invalid).toMatchObject({ tool: "echo", outcome: "invalid", arguments: { text: 7 } });
    expect(invalid?.error).toMatch(/text: /);
    expect(JSON.stringify(await auditRows())).not.toContain("hunter2");
  });

  it("counts calls in the metrics", async () => {
    const text = await ctx.metrics.registry.metrics();
    expect(text).toMatch(/mcp_tool_calls_total\{tool="echo",outcome="ok",transport="in-memory"\} \d+/);
    expect(text).toContain("mcp_tool_call_duration_seconds_bucket");
    expect(text).toContain("mcp_audit_queue_depth");
  });

  it("still checks an elicitation answer against its schema, with the validator made on demand", async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" });
    await server.connect(serverSide);
    const asked = new Client({ name: "elicited", version: "1" }, { capabilities: { elicitation: {} } });
    let answer: unknown = { name: "Ada" };
    asked.setRequestHandler(ElicitRequestSchema, () => ({ action: "accept", content: answer }));
    await asked.connect(clientSide);
    const requestedSchema = {
      type: "object" as const,
      properties: { name: { type: "string" as const } },
      required: ["name"],
    };
    await expect(server.elicitInput({ message: "Your name?", requestedSchema })).resolves.toMatchObject({
      content: { name: "Ada" },
    });
    answer = { name: 7 };
    await expect(server.elicitInput({ message: "Your name?", requestedSchema })).rejects.toThrow(
      /Elicitation response content does not match requested schema/,
    );
    await asked.close();
  });
});
