import { createApiKey } from "@mcp-tools/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectSse,
  connectStreamable,
  initialize,
  mcpHeaders,
  rawRequest,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

// MCP_AUTH unset outside production: keyless only for a caller that really is on this machine.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const PROXY_HEADERS: Array<[string, string]> = [
  ["forwarded", "for=203.0.113.7;proto=https"],
  ["x-forwarded-for", "203.0.113.7"],
  ["x-forwarded-host", "mcp.example.com"],
  ["x-forwarded-proto", "https"],
  ["x-forwarded-port", "443"],
  ["via", "1.1 nginx"],
  ["x-real-ip", "203.0.113.7"],
];

const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name);

describe("MCP_AUTH unset: keyless only from this machine, directly", () => {
  it("serves a loopback client without a key on /mcp and /sse", async () => {
    for (const connect of [connectStreamable, connectSse]) {
      const client = await connect(server.url, "local");
      expect(await names(client)).toContain("note_delete");
      await client.close();
    }
  });

  it.each(PROXY_HEADERS)("answers a loopback request carrying %s with 401", async (name, value) => {
    for (const [method, path] of [
      ["POST", "/mcp"],
      ["GET", "/sse"],
      ["POST", "/messages?sessionId=x"],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...mcpHeaders, [name]: value },
        body: method === "POST" ? JSON.stringify(initialize()) : undefined,
      });
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="mcp-tools"');
      expect(await rpcErrorOf(res)).toMatchObject({
        status: 401,
        message: expect.stringMatching(/Bearer <API key>.*through a proxy/),
      });
    }
  });

  it("answers a proxied request naming localhost as its Host with 401: the peer decides, not the name", async () => {
    // The attack through a same-host proxy: the Host says localhost, the proxy adds its headers.
    const res = await rawRequest(`${server.url}/mcp`, {
      headers: { ...mcpHeaders, host: `localhost:${server.service.port}`, "x-forwarded-for": "198.51.100.1" },
      body: JSON.stringify(initialize()),
    });
    expect(res.status).toBe(401);
  });

  it("lets a proxied client in with a key, and applies the key's scope to a local one", async () => {
    const { secret } = await createApiKey(server.ctx.db.db, {
      name: "reader",
      scope: { kind: "read-only" },
      createdBy: "test",
    });
    const res = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "x-forwarded-for": "203.0.113.7", authorization: `Bearer ${secret}` },
      body: JSON.stringify(initialize()),
    });
    expect(res.status).toBe(200);
    await res.text();
    const client = await connectStreamable(server.url, "scoped", secret);
    expect(await names(client)).not.toContain("note_delete");
    await client.close();
  });

  it("checks a key that a local client sends: a bad one is refused, not ignored", async () => {
    const res = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, authorization: "Bearer mcpt_nope_nope" },
      body: JSON.stringify(initialize()),
    });
    expect(await rpcErrorOf(res)).toMatchObject({
      status: 401,
      message: "Unauthorized: The API key is not valid",
    });
  });
});
