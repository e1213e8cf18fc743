import { createApiKey, updateToolSettings } from "@mcp-tools/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSse, connectStreamable, sleep, startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MCP_AUTH: "required" });
});
afterAll(() => server.close());

/** Records when each tools/list_changed arrives. */
function watch(client: Client): number[] {
  const arrivals: number[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    arrivals.push(Date.now());
  });
  return arrivals;
}

const key = async (scope: "all" | "read-only") =>
  (await createApiKey(server.ctx.db.db, { name: scope, scope: { kind: scope }, createdBy: "test" })).secret;

const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name);

describe("tool settings changes reach connected HTTP clients", () => {
  it("disabling a tool sends list_changed within 1 s over /mcp and /sse; it is gone from tools/list", async () => {
    const streamable = await connectStreamable(server.url, "s", await key("all"));
    const sse = await connectSse(server.url, "e", await key("all"));
    const arrivals = [watch(streamable), watch(sse)];
    for (const client of [streamable, sse]) expect(await names(client)).toContain("note_delete");

    const changed = Date.now();
    await updateToolSettings(server.ctx, "note_delete", { enabled: false }, "alice");
    for (const got of arrivals) {
      await expect.poll(() => got.length, { timeout: 1_000, interval: 10 }).toBe(1);
      expect((got[0] ?? Number.POSITIVE_INFINITY) - changed).toBeLessThan(1_000);
    }
    for (const client of [streamable, sse]) expect(await names(client)).not.toContain("note_delete");
    await updateToolSettings(server.ctx, "note_delete", { enabled: true }, "alice");
    await Promise.all([streamable.close(), sse.close()]);
  });

  it("sends nothing to a client whose visible list did not change", async () => {
    const readOnly = await connectStreamable(server.url, "ro", await key("read-only"));
    const all = await connectStreamable(server.url, "all", await key("all"));
    const [quiet, told] = [watch(readOnly), watch(all)];
    await names(readOnly);
    await names(all);
    await updateToolSettings(server.ctx, "note_save", { enabled: false }, "alice");
    await expect.poll(() => told.length, { timeout: 1_000, interval: 10 }).toBe(1);
    await sleep(200);
    expect(quiet).toEqual([]);
    await updateToolSettings(server.ctx, "note_save", { enabled: true }, "alice");
    await Promise.all([readOnly.close(), all.close()]);
  });

  it("shows a description override in tools/list", async () => {
    const client = await connectSse(server.url, "d", await key("all"));
    await updateToolSettings(server.ctx, "echo", { descriptionOverride: "Say it back" }, "alice");
    const echo = (await client.listTools()).tools.find((tool) => tool.name === "echo");
    expect(echo?.description).toBe("Say it back");
    await updateToolSettings(server.ctx, "echo", { descriptionOverride: null }, "alice");
    await client.close();
  });
});
