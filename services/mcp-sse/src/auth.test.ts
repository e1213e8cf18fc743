import { createApiKey, type KeyScope, revokeApiKey } from "@mcp-tools/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectSse,
  connectStreamable,
  echo,
  initialize,
  mcpHeaders,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MCP_AUTH: "required" });
});
afterAll(() => server.close());

async function newKey(scope: KeyScope = { kind: "all" }, extra: { expiresAt?: Date } = {}) {
  return createApiKey(server.ctx.db.db, { name: "test", scope, createdBy: "test", ...extra });
}

const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name);

const connectors = { "/mcp": connectStreamable, "/sse": connectSse };

describe("MCP_AUTH=required", () => {
  it.each([
    ["POST", "/mcp"],
    ["GET", "/sse"],
    ["POST", "/messages?sessionId=x"],
  ])("answers %s %s without a key with 401 and WWW-Authenticate", async (method, path) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: mcpHeaders,
      body: method === "POST" ? JSON.stringify(initialize()) : undefined,
    });
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="mcp-tools"');
    expect(await rpcErrorOf(res)).toMatchObject({
      status: 401,
      message: expect.stringMatching(/^Unauthorized/),
    });
  });

  it("answers a wrong, an expired and a revoked key with 401 invalid_token saying which", async () => {
    const expired = await newKey({ kind: "all" }, { expiresAt: new Date(Date.now() - 1_000) });
    const revoked = await newKey();
    await revokeApiKey({ db: server.ctx.db.db, bus: server.ctx.bus }, revoked.key.id, "test");
    const { secret } = await newKey();
    const wrong = `${secret.slice(0, -4)}AAAA`;
    const cases = [
      [wrong, "The API key is not valid"],
      ["not-even-a-key", "The API key is not valid"],
      [expired.secret, "The API key has expired"],
      [revoked.secret, "The API key has been revoked"],
    ];
    for (const [token, description] of cases) {
      const res = await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, authorization: `Bearer ${token}` },
        body: JSON.stringify(initialize()),
      });
      expect(res.headers.get("www-authenticate")).toBe(
        `Bearer realm="mcp-tools", error="invalid_token", error_description="${description}"`,
      );
      expect(await rpcErrorOf(res)).toMatchObject({ status: 401, message: `Unauthorized: ${description}` });
    }
  });

  it("keeps /health, /ready and /metrics open", async () => {
    for (const path of ["/health", "/ready", "/metrics"])
      expect((await fetch(`${server.url}${path}`)).status).toBe(200);
  });

  it.each(Object.entries(connectors))("shows every tool to an all-tools key over %s", async (_, connect) => {
    const client = await connect(server.url, "all", (await newKey()).secret);
    expect(await names(client)).toEqual([
      "echo",
      "note_save",
      "note_search",
      "note_get",
      "note_list",
      "note_delete",
    ]);
    await client.close();
  });

  it.each(Object.entries(connectors))(
    "shows an allow-list key only its tools over %s; calling another is an error",
    async (_, connect) => {
      const client = await connect(
        server.url,
        "list",
        (await newKey({ kind: "tools", tools: ["echo", "note_get"] })).secret,
      );
      expect(await names(client)).toEqual(["echo", "note_get"]);
      expect(await client.callTool({ name: "echo", arguments: { text: "in scope" } })).toMatchObject({
        structuredContent: { text: "in scope" },
      });
      await expect(client.callTool({ name: "note_save", arguments: { title: "x" } })).rejects.toThrow(
        /Unknown tool: note_save/,
      );
      await client.close();
    },
  );

  it.each(Object.entries(connectors))(
    "shows a read-only key only readOnlyHint tools over %s",
    async (_, connect) => {
      const client = await connect(server.url, "ro", (await newKey({ kind: "read-only" })).secret);
      expect(await names(client)).toEqual(["echo", "note_search", "note_get", "note_list"]);
      await expect(
        client.callTool({ name: "note_delete", arguments: { id: crypto.randomUUID() } }),
      ).rejects.toThrow(/Unknown tool: note_delete/);
      await client.close();
    },
  );

  it("answers 404 to a request for a session opened with another key", async () => {
    const owner = await newKey();
    const other = await newKey();
    const open = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, authorization: `Bearer ${owner.secret}` },
      body: JSON.stringify(initialize()),
    });
    await open.text();
    const id = open.headers.get("mcp-session-id") ?? "";
    expect(id).not.toBe("");
    const res = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, authorization: `Bearer ${other.secret}`, "mcp-session-id": id },
      body: JSON.stringify(echo(2, "not mine")),
    });
    expect(await rpcErrorOf(res)).toEqual({ status: 404, code: -32001, message: "Session not found" });
  });

  it("stops a connected client at once when its key is revoked", async () => {
    const { key, secret } = await newKey();
    const client = await connectStreamable(server.url, "revoked", secret);
    await client.callTool({ name: "echo", arguments: { text: "before" } });
    await revokeApiKey({ db: server.ctx.db.db, bus: server.ctx.bus }, key.id, "test");
    await expect(client.callTool({ name: "echo", arguments: { text: "after" } })).rejects.toThrow(
      /401|revoked/i,
    );
    await client.close();
  });
});
