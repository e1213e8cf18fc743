import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryBus } from "../../bus/memory.js";
import type { AppContext } from "../../context.js";
import { auditLog } from "../../db/schema.js";
import { createApiKey } from "../../keys/create.js";
import { setKeyPins } from "../../keys/pins.js";
import { keyPrincipal, localPrincipal, type Principal } from "../../mcp/principal.js";
import { createMcpServer } from "../../mcp/server.js";
import { createTestContext } from "../../testing/context.js";
import { createTestDatabase, realServiceUrl } from "../../testing/services.js";
import { builtinTools } from "../builtin.js";
import { describeTool } from "../registry.js";
import { proposeHttpTool } from "./propose.js";
import { decideToolVersion, listToolVersions, syncBuiltinVersions } from "./versions.js";

let upstream: Server;
let port: number;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ weather: "sunny", path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  port = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const weather = (description: string) => ({
  name: "weather_get",
  title: "Weather",
  description,
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  annotations: { readOnlyHint: true },
  request: { method: "GET", url: `http://127.0.0.1:${port}/weather/{city}` },
});

async function connect(ctx: AppContext, principal: Principal = localPrincipal) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "catalog", version: "1" });
  let changes = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes += 1;
  });
  await client.connect(clientSide);
  const described = async (name: string) =>
    (await client.listTools()).tools.find((tool) => tool.name === name);
  return { client, described, changes: () => changes };
}

describe("tool versions on one process", () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext({ EGRESS_ALLOW: "127.0.0.1" });
  });
  afterAll(() => ctx.close());

  it("approves every built-in tool as it is on a database that has never seen one", async () => {
    const versions = await listToolVersions(ctx, { status: "approved" });
    expect(versions.map((version) => version.name).sort()).toEqual(
      builtinTools.map((tool) => tool.name).sort(),
    );
  });

  it("serves an HTTP tool only once approved, an edit only once approved, and audits the version that ran", async () => {
    const { client, described, changes } = await connect(ctx);
    await client.listTools();
    const first = await proposeHttpTool(ctx, weather("Today's weather"), "alice");
    expect(first.status).toBe("pending");
    expect(await described("weather_get")).toBeUndefined();
    await decideToolVersion(ctx, first.id, "approve", "bob");
    await expect.poll(changes).toBe(1);
    expect(await described("weather_get")).toMatchObject({ description: "Today's weather" });
    const called = await client.callTool({ name: "weather_get", arguments: { city: "Oslo" } });
    expect(called.structuredContent).toEqual({ weather: "sunny", path: "/weather/Oslo" });

    const edit = await proposeHttpTool(ctx, weather("Weather, says the rug puller"), "mallory", first.toolId);
    expect(edit.status).toBe("pending");
    expect(await described("weather_get")).toMatchObject({ description: "Today's weather" });
    await decideToolVersion(ctx, edit.id, "approve", "bob");
    await expect.poll(changes).toBe(2);
    expect(await described("weather_get")).toMatchObject({ description: "Weather, says the rug puller" });
    expect((await listToolVersions(ctx, { toolId: first.toolId })).map((version) => version.status)).toEqual([
      "approved",
      "superseded",
    ]);

    await ctx.audit.flush(5_000);
    const [row] = (await ctx.db.db.select().from(auditLog)).filter((entry) => entry.tool === "weather_get");
    expect(row?.toolVersion).toBe(first.hash);
    await client.close();
  });

  it("keeps a built-in tool's changed definition pending after a deploy, unless pre-approved", async () => {
    const [echo] = builtinTools.map(describeTool);
    if (!echo) throw new Error("no built-in tools");
    const changed = { ...echo, description: "Echo, rewritten by a new build" };
    await syncBuiltinVersions(ctx, [changed], { preapprove: false });
    const { described } = await connect(ctx);
    expect((await described(echo.name))?.description).toBe(echo.description);
    const [pending] = await listToolVersions(ctx, { status: "pending" });
    expect(pending).toMatchObject({ name: echo.name, kind: "builtin" });
    await syncBuiltinVersions(ctx, [{ ...echo, description: "Echo, pre-approved" }], { preapprove: true });
    await expect.poll(async () => (await described(echo.name))?.description).toBe("Echo, pre-approved");
  });

  it("keeps a pinned key on its version, in the list and in calls, whatever is approved after", async () => {
    const [current] = (await listToolVersions(ctx, { status: "approved" })).filter(
      (version) => version.name === "weather_get",
    );
    if (!current) throw new Error("weather_get is not approved");
    const { key } = await createApiKey(ctx.db.db, {
      name: "pinned",
      scope: { kind: "all" },
      createdBy: "alice",
    });
    await expect(setKeyPins(ctx, key.id, { weather_get: "0".repeat(64) }, "alice")).rejects.toThrow(
      /^pins: weather_get has no approved version 000000000000/,
    );
    const pinnedKey = await setKeyPins(ctx, key.id, { weather_get: current.hash }, "alice");
    const pinned = await connect(ctx, keyPrincipal(pinnedKey));
    const everyone = await connect(ctx);
    const moved = {
      ...weather("Weather, moved"),
      request: { method: "GET", url: `http://127.0.0.1:${port}/v2/weather/{city}` },
    };
    const next = await proposeHttpTool(ctx, moved, "alice", current.toolId);
    await decideToolVersion(ctx, next.id, "approve", "bob");
    await expect
      .poll(async () => (await everyone.described("weather_get"))?.description)
      .toBe("Weather, moved");
    expect((await pinned.described("weather_get"))?.description).toBe(
      current.definition && (current.definition as { description: string }).description,
    );
    const called = await pinned.client.callTool({ name: "weather_get", arguments: { city: "Bergen" } });
    expect(called.structuredContent).toMatchObject({ path: "/weather/Bergen" });
    await ctx.audit.flush(5_000);
    const rows = (await ctx.db.db.select().from(auditLog)).filter(
      (row) => row.principal === `key:${key.prefix}`,
    );
    expect(rows.map((row) => row.toolVersion)).toEqual([current.hash]);
    await pinned.client.close();
    await everyone.client.close();
  });

  it("renames a tool by approving a definition with another name, keeping its history together", async () => {
    const first = await proposeHttpTool(ctx, { ...weather("Forecast"), name: "forecast_get" }, "alice");
    await decideToolVersion(ctx, first.id, "approve", "bob");
    const renamed = await proposeHttpTool(
      ctx,
      { ...weather("Forecast"), name: "forecast_read" },
      "alice",
      first.toolId,
    );
    await decideToolVersion(ctx, renamed.id, "approve", "bob");
    const { client } = await connect(ctx);
    await expect
      .poll(async () =>
        (await client.listTools()).tools
          .map((tool) => tool.name)
          .filter((name) => name.startsWith("forecast")),
      )
      .toEqual(["forecast_read"]);
    expect((await listToolVersions(ctx, { toolId: first.toolId })).map((version) => version.name)).toEqual([
      "forecast_read",
      "forecast_get",
    ]);
    await client.close();
  });

  it("refuses a second tool by a name already taken, and a decision on a version already decided", async () => {
    const taken = {
      ...weather("Another"),
      request: { method: "GET", url: `http://127.0.0.1:${port}/other/{city}` },
    };
    await expect(proposeHttpTool(ctx, taken, "alice")).rejects.toThrow("Another tool is named weather_get");
    const [approved] = await listToolVersions(ctx, { status: "approved" });
    await expect(decideToolVersion(ctx, approved?.id ?? "", "approve", "bob")).rejects.toThrow(
      "That version is approved, not pending",
    );
  });
});

const databaseUrl = realServiceUrl("DATABASE_URL");

describe.skipIf(!databaseUrl)("tool versions across replicas (PostgreSQL)", () => {
  it("reaches the clients of a second replica within a second of approval", async () => {
    const database = await createTestDatabase(databaseUrl ?? "");
    const bus = createMemoryBus();
    const settings = { DATABASE_URL: database.url, EGRESS_ALLOW: "127.0.0.1" };
    const one = await createTestContext(settings, { bus });
    const two = await createTestContext(settings, { bus });
    try {
      const far = await connect(two);
      await far.client.listTools();
      const version = await proposeHttpTool(one, weather("From replica one"), "alice");
      const approved = Date.now();
      await decideToolVersion(one, version.id, "approve", "bob");
      await expect.poll(far.changes, { timeout: 1_000 }).toBe(1);
      expect(Date.now() - approved).toBeLessThan(1_000);
      expect(await far.described("weather_get")).toMatchObject({ description: "From replica one" });
      await far.client.close();
    } finally {
      await one.close();
      await two.close();
      await bus.close();
      await database.drop();
    }
  });

  it("keeps every built-in tool approved when replicas sync a new database at the same moment", async () => {
    const database = await createTestDatabase(databaseUrl ?? "");
    const bus = createMemoryBus();
    const settings = { DATABASE_URL: database.url, DATABASE_POOL_MAX: "4" };
    const replicas = [await createTestContext(settings, { bus }), await createTestContext(settings, { bus })];
    try {
      // Tools neither replica has seen, synced by both at once, twice each: without a lock per
      // tool, one replica's "supersede the approved version" lands on the other's approval.
      const tools = Array.from({ length: 30 }, (_, i) => ({
        name: `race_${i}`,
        description: `Race ${i}`,
        inputSchema: { type: "object" as const },
      }));
      await Promise.all(
        [...replicas, ...replicas].map((replica) =>
          syncBuiltinVersions(replica, tools, { preapprove: false }),
        ),
      );
      const [replica] = replicas as [AppContext];
      const named = async (status: "approved" | "superseded") =>
        (await listToolVersions(replica, { status })).filter((version) => version.name.startsWith("race_"));
      expect(await named("approved")).toHaveLength(tools.length);
      expect(await named("superseded")).toEqual([]);
    } finally {
      for (const replica of replicas) await replica.close();
      await bus.close();
      await database.drop();
    }
  });
});
