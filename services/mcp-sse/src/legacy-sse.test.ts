import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSseStream } from "./testing/sse.js";
import {
  connectSse,
  connectStreamable,
  echo,
  eventually,
  initialize,
  readUntil,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SSE_KEEPALIVE_MS: "100" });
});
afterAll(() => server.close());

const sseGauge = async () =>
  (await server.ctx.metrics.sessionsActive.get()).values.find((v) => v.labels.transport === "sse")?.value ??
  0;

describe("legacy HTTP+SSE at /sse and /messages", () => {
  it("initializes, lists tools and calls echo with the SDK's SSE client", async () => {
    const client = await connectSse(server.url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("echo");
    const result = await client.callTool({ name: "echo", arguments: { text: "hello over /sse" } });
    expect(result.structuredContent).toEqual({ text: "hello over /sse" });
    await client.close();
  });

  it("sends `event: endpoint` first, then answers POSTs with 202 and the reply as `event: message`", async () => {
    const { reader, endpoint } = await openSseStream(server.url);
    expect(endpoint).toMatch(/^\/messages\?sessionId=[A-Za-z0-9_-]{43}$/);
    const post = (message: unknown) =>
      fetch(`${server.url}${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(message),
      });
    expect((await post(initialize(1))).status).toBe(202);
    expect((await post(echo(2, "on the stream"))).status).toBe(202);
    const text = await readUntil(reader, (t) => t.includes('"id":2'));
    const events = text.split("\n\n").filter((e) => e.startsWith("event: message"));
    expect(JSON.parse(events[0]?.split("data: ")[1] ?? "")).toMatchObject({
      id: 1,
      result: { serverInfo: { name: "mcp-tools" } },
    });
    expect(JSON.parse(events[1]?.split("data: ")[1] ?? "")).toMatchObject({
      id: 2,
      result: { structuredContent: { text: "on the stream" } },
    });
    await reader.cancel();
  });

  it("sends a keep-alive comment on an idle stream every SSE_KEEPALIVE_MS", async () => {
    const { reader, rest } = await openSseStream(server.url);
    const text = await readUntil(reader, (t) => t.split(": keepalive\n\n").length > 2, 2_000);
    expect(`${rest}${text}`).toContain(": keepalive\n\n");
    await reader.cancel();
  });

  it("closes and forgets the session when the client disconnects", async () => {
    await eventually(sseGauge, 0); // streams of earlier tests, cancelled a moment ago
    const { reader, endpoint } = await openSseStream(server.url);
    expect(await sseGauge()).toBe(1);
    await reader.cancel();
    await eventually(sseGauge, 0);
    const res = await fetch(`${server.url}${endpoint}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(echo(1, "too late")),
    });
    expect(await rpcErrorOf(res)).toEqual({ status: 404, code: -32001, message: "Session not found" });
  });

  it("keeps 10 SSE and 10 Streamable HTTP clients × 10 calls each apart, side by side", async () => {
    const clients: Array<[string, Client]> = await Promise.all(
      Array.from({ length: 20 }, async (_, n): Promise<[string, Client]> => {
        const name = n % 2 === 0 ? `sse-${n}` : `streamable-${n}`;
        return [
          name,
          n % 2 === 0 ? await connectSse(server.url, name) : await connectStreamable(server.url, name),
        ];
      }),
    );
    const answers = await Promise.all(
      clients.flatMap(([name, client]) =>
        Array.from({ length: 10 }, async (_, call) => {
          const text = `${name} call ${call}`;
          const result = await client.callTool({ name: "echo", arguments: { text } });
          return [text, (result.structuredContent as { text: string }).text];
        }),
      ),
    );
    expect(answers).toHaveLength(200);
    for (const [expected, got] of answers) expect(got).toBe(expected);
    await Promise.all(clients.map(([, client]) => client.close()));
  });
});

describe("PUBLIC_BASE_PATH", () => {
  it("prefixes the endpoint the legacy stream announces", async () => {
    const prefixed = await startTestServer({ PUBLIC_BASE_PATH: "/prefix" });
    try {
      const { reader, endpoint } = await openSseStream(prefixed.url);
      expect(endpoint.startsWith("/prefix/messages?sessionId=")).toBe(true);
      await reader.cancel();
    } finally {
      await prefixed.close();
    }
  });
});
