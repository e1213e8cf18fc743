import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppContext } from "../../context.js";
import { adminAudit, toolSettings } from "../../db/schema.js";
import { createApiKey } from "../../keys/create.js";
import { setKeyPins } from "../../keys/pins.js";
import { callTool } from "../../mcp/call-tool.js";
import { keyPrincipal, localPrincipal } from "../../mcp/principal.js";
import { createMcpServer } from "../../mcp/server.js";
import { describeEachDatabase, type OpenedContext } from "../../testing/each-database.js";
import { updateToolSettings } from "../settings/update.js";
import { proposeHttpTool } from "./propose.js";
import { decideToolVersion } from "./versions.js";

let upstream: Server;
let port: number;
beforeAll(async () => {
  upstream = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ forecast: "rain" }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  port = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const forecast = (name: string) => ({
  name,
  title: "Forecast",
  description: "Tomorrow's weather",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  annotations: { readOnlyHint: true },
  request: { method: "GET", url: `http://127.0.0.1:${port}/forecast/{city}` },
});

async function connect(ctx: AppContext) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "rename", version: "1" });
  await client.connect(clientSide);
  return client;
}

async function approved(ctx: AppContext, name: string, toolId?: string) {
  const version = await proposeHttpTool(ctx, forecast(name), "alice", toolId);
  return decideToolVersion(ctx, version.id, "approve", "bob");
}

const settingRows = async (ctx: AppContext, prefix: string) =>
  (await ctx.db.db.select().from(toolSettings))
    .filter((row) => row.tool.startsWith(prefix))
    .map(({ tool, enabled, rateLimitPerMinute }) => ({ tool, enabled, rateLimitPerMinute }));

const approval = async (ctx: AppContext, id: string) =>
  (
    await ctx.db.db
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.targetId, id), eq(adminAudit.action, "tool_version.approve")))
  )[0];

describeEachDatabase("a renamed tool keeps its settings", (database) => {
  let opened: OpenedContext;
  let ctx: AppContext;
  beforeAll(async () => {
    opened = await database.open({ EGRESS_ALLOW: "127.0.0.1" });
    ctx = opened.ctx;
  });
  afterAll(() => opened.close());

  it("stays disabled under its new name, and leaves no row under the old one", async () => {
    const first = await approved(ctx, "forecast_get");
    await expect.poll(() => ctx.tools.get("forecast_get")).toBeDefined();
    await updateToolSettings(ctx, "forecast_get", { enabled: false, rateLimitPerMinute: 5 }, "carol");
    const renamed = await approved(ctx, "forecast_read", first.toolId);
    await expect.poll(() => ctx.tools.get("forecast_read")).toBeDefined();

    const client = await connect(ctx);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names.filter((name) => name.startsWith("forecast"))).toEqual([]);
    await expect(client.callTool({ name: "forecast_read", arguments: { city: "Oslo" } })).rejects.toThrow(
      "Unknown tool: forecast_read",
    );
    expect(await settingRows(ctx, "forecast")).toEqual([
      { tool: "forecast_read", enabled: false, rateLimitPerMinute: 5 },
    ]);

    const action = await approval(ctx, renamed.id);
    expect(action).toMatchObject({
      after: { name: "forecast_read", renamedFrom: "forecast_get", settings: { enabled: false } },
    });
    await client.close();
  });

  it("does not let a key pinned to the old name's version call it past the renamed tool's settings", async () => {
    const first = await approved(ctx, "tides_get");
    await expect.poll(() => ctx.tools.versionOf("tides_get")).toBe(first.hash);
    const { key } = await createApiKey(ctx.db.db, {
      name: "pinned",
      scope: { kind: "all" },
      createdBy: "alice",
    });
    const principal = keyPrincipal(await setKeyPins(ctx, key.id, { tides_get: first.hash }, "alice"));
    await approved(ctx, "tides_read", first.toolId);
    await expect.poll(() => ctx.tools.get("tides_read")).toBeDefined();
    await updateToolSettings(ctx, "tides_read", { enabled: false }, "carol");
    const meta = { principal, transport: "in-memory" as const, signal: new AbortController().signal };
    // The pin named a version under a name no longer served: it no longer applies.
    await expect(callTool(ctx, "tides_get", { city: "Oslo" }, meta)).rejects.toThrow(
      "Unknown tool: tides_get",
    );
    await expect(callTool(ctx, "tides_read", { city: "Oslo" }, meta)).rejects.toThrow(
      "Unknown tool: tides_read",
    );
  });

  it("replaces settings left under the new name by an earlier tool with the renamed tool's own", async () => {
    // Left behind by a tool of that name that is gone: they were never this tool's.
    await ctx.db.db.insert(toolSettings).values({ tool: "outlook_read", enabled: false, updatedBy: "dave" });
    const first = await approved(ctx, "outlook_get");
    const renamed = await approved(ctx, "outlook_read", first.toolId);
    await expect.poll(() => ctx.tools.get("outlook_read")).toBeDefined();

    const client = await connect(ctx);
    await expect
      .poll(
        async () =>
          (await client.callTool({ name: "outlook_read", arguments: { city: "Oslo" } })).structuredContent,
      )
      .toEqual({ forecast: "rain" });
    expect(await settingRows(ctx, "outlook")).toEqual([]);
    const action = await approval(ctx, renamed.id);
    expect(action).toMatchObject({
      before: { name: "outlook_read", settings: { enabled: false } },
      after: { renamedFrom: "outlook_get", settings: null },
    });
    await client.close();
  });
});
