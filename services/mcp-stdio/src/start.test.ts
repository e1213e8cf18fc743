import { PassThrough } from "node:stream";
import { type AppContext, auditLog, listProcesses, updateToolSettings } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StdioService, start } from "./start.js";

let ctx: AppContext;
let service: StdioService;
let client: Client;

beforeAll(async () => {
  // Auth required for HTTP must not matter here: stdio is the local user's own process.
  ctx = await createTestContext({ MCP_AUTH: "required", HOST: "0.0.0.0" });
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  service = await start(ctx, { input: toServer, output: fromServer });
  client = new Client({ name: "stdio-in-process", version: "1" });
  // Newline-delimited JSON either way: the server's transport, pointed the other way, is a client's.
  await client.connect(new StdioServerTransport(fromServer, toServer));
});
afterAll(async () => {
  await client.close();
  await service.stop();
  await ctx.close();
});

describe("stdio", () => {
  it("runs as the local principal and sees every tool, even with MCP_AUTH=required", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(ctx.tools.all().map((tool) => tool.name));
    await client.callTool({ name: "echo", arguments: { text: "local" } });
    await ctx.audit.flush(5_000);
    const rows = await ctx.db.db.select().from(auditLog);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tool: "echo", principal: "local", transport: "stdio", outcome: "ok" });
  });

  it("hides a disabled tool and tells the client the list changed", async () => {
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified += 1;
    });
    await client.listTools();
    await updateToolSettings(ctx, "note_delete", { enabled: false }, "alice");
    await expect.poll(() => notified, { timeout: 1_000 }).toBe(1);
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain("note_delete");
  });

  it("reports its one session on the presence heartbeat, as one that cannot be ended from afar", async () => {
    const [process] = await listProcesses(ctx.bus);
    expect(process).toMatchObject({ services: ["mcp-stdio"], sessions: { stdio: 1 } });
    expect(process?.activeSessions).toEqual([
      expect.objectContaining({ transport: "stdio", principal: "local", terminable: false }),
    ]);
  });
});
