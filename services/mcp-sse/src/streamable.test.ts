import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectStreamable,
  echo,
  mcpHeaders,
  messagesOf,
  openRawSession,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("Streamable HTTP at /mcp", () => {
  it("initializes, lists tools and calls echo with the SDK client", async () => {
    const client = await connectStreamable(server.url);
    expect(client.getServerVersion()?.name).toBe("mcp-tools");
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("echo");
    const result = await client.callTool({ name: "echo", arguments: { text: "hello over /mcp" } });
    expect(result.structuredContent).toEqual({ text: "hello over /mcp" });
    expect(result.content).toEqual([{ type: "text", text: "hello over /mcp" }]);
    await client.close();
  });

  it("gives each session an id with at least 128 bits of randomness", async () => {
    const a = await openRawSession(server.url);
    const b = await openRawSession(server.url);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
  });

  it("ends a session on DELETE; using it afterwards answers 404 Session not found", async () => {
    const id = await openRawSession(server.url);
    const call = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(echo(2, "before delete")),
    });
    expect((await messagesOf(call))[0]).toMatchObject({
      id: 2,
      result: { structuredContent: { text: "before delete" } },
    });

    const deleted = await fetch(`${server.url}/mcp`, { method: "DELETE", headers: { "mcp-session-id": id } });
    expect(deleted.status).toBe(200);

    const reused = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(echo(3, "after delete")),
    });
    expect(await rpcErrorOf(reused)).toEqual({ status: 404, code: -32001, message: "Session not found" });
    const again = await fetch(`${server.url}/mcp`, { method: "DELETE", headers: { "mcp-session-id": id } });
    expect(again.status).toBe(404);
  });

  it("tracks open sessions in mcp_sessions_active{transport=streamable-http}", async () => {
    const gauge = async () =>
      (await server.ctx.metrics.sessionsActive.get()).values.find(
        (v) => v.labels.transport === "streamable-http",
      )?.value ?? 0;
    const before = await gauge();
    const client = await connectStreamable(server.url);
    expect(await gauge()).toBe(before + 1);
    await client.close(); // the SDK client does not DELETE on close
    const id = await openRawSession(server.url);
    expect(await gauge()).toBe(before + 2);
    await fetch(`${server.url}/mcp`, { method: "DELETE", headers: { "mcp-session-id": id } });
    expect(await gauge()).toBe(before + 1);
  });

  it("serves 50 concurrent sessions × 20 calls, each client getting only its own answers", async () => {
    const clients: Client[] = await Promise.all(
      Array.from({ length: 50 }, (_, n) => connectStreamable(server.url, `client-${n}`)),
    );
    const results = await Promise.all(
      clients.map((client, n) =>
        Promise.all(
          Array.from({ length: 20 }, async (_, call) => {
            const text = `client ${n} call ${call} ${"x".repeat(n)}`;
            const result = await client.callTool({ name: "echo", arguments: { text } });
            return { expected: text, got: (result.structuredContent as { text: string }).text };
          }),
        ),
      ),
    );
    for (const perClient of results) for (const { expected, got } of perClient) expect(got).toBe(expected);
    expect(results.flat()).toHaveLength(1_000);
    await Promise.all(clients.map((client) => client.close()));
  });
});
