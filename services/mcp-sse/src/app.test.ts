import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMcpHttpApp } from "./app.js";
import { createMcpHttpParts, type McpHttpParts } from "./parts.js";
import type { SessionRegistry } from "./sessions.js";
import { echo, initialize, mcpHeaders, messagesOf, readUntil, rpcErrorOf } from "./testing.js";

// In-process requests: the app's loopback allow-list is for port 9090 (MCP_PORT's default).
const base = "http://localhost:9090";
let ctx: AppContext;
let parts: McpHttpParts;
let sessions: SessionRegistry;
let app: ReturnType<typeof createMcpHttpApp>;

beforeAll(async () => {
  // A request made with app.request() has no TCP peer, so it can never be a keyless local caller;
  // and the memory tests open hundreds of sessions, all from one caller.
  ctx = await createTestContext({
    MAX_BODY_BYTES: "1024",
    MCP_AUTH: "off",
    MAX_SESSIONS_PER_CALLER: "10000",
  });
  parts = createMcpHttpParts(ctx);
  sessions = parts.sessions;
  app = createMcpHttpApp(ctx, { parts });
});
afterAll(async () => {
  await sessions.closeAll();
  await ctx.close();
});

async function initializeSession(): Promise<string> {
  const res = await app.request(`${base}/mcp`, {
    method: "POST",
    headers: mcpHeaders,
    body: JSON.stringify(initialize()),
  });
  await res.text();
  const id = res.headers.get("mcp-session-id");
  if (!id) throw new Error(`no session: ${res.status}`);
  const done = await app.request(`${base}/mcp`, {
    method: "POST",
    headers: { ...mcpHeaders, "mcp-session-id": id },
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  expect(done.status).toBe(202);
  return id;
}

describe("createMcpHttpApp in process", () => {
  it("opens a session and answers a tool call without listening", async () => {
    const id = await initializeSession();
    const res = await app.request(`${base}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(echo(9, "in process")),
    });
    expect((await messagesOf(res))[0]).toMatchObject({
      id: 9,
      result: { structuredContent: { text: "in process" } },
    });
  });

  it("refuses a body over MAX_BODY_BYTES from a web stream with 413", async () => {
    const id = await initializeSession();
    const chunk = new TextEncoder().encode(" ".repeat(512));
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
      },
    });
    const res = await app.request(`${base}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body,
      duplex: "half",
    } as RequestInit);
    expect(await rpcErrorOf(res)).toMatchObject({ status: 413, code: -32000 });
    expect(pulled).toBeLessThan(10);
  });

  it("refuses a declared Content-Length over MAX_BODY_BYTES with 413", async () => {
    const res = await app.request(`${base}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "content-length": "1025" },
      body: JSON.stringify(initialize()),
    });
    expect(await rpcErrorOf(res)).toMatchObject({ status: 413, code: -32000 });
  });

  it("answers Host and Origin outside the allow-lists with a JSON-RPC 403", async () => {
    const host = await app.request("http://attacker.example:9090/mcp", {
      method: "POST",
      headers: mcpHeaders,
      body: JSON.stringify(initialize()),
    });
    expect(await rpcErrorOf(host)).toMatchObject({ status: 403, code: -32000 });
    const origin = await app.request(`${base}/sse`, { headers: { origin: "https://evil.example" } });
    expect(await rpcErrorOf(origin)).toMatchObject({ status: 403, code: -32000 });
  });

  it("does not check Host when served on a public interface (a proxy decides the name)", async () => {
    const open = createMcpHttpApp(ctx, { parts, host: "0.0.0.0" });
    const res = await open.request("http://mcp.example.com/health");
    expect(res.status).toBe(200);
  });

  it("answers an unknown path with a JSON 404", async () => {
    expect(await rpcErrorOf(await app.request(`${base}/nope`))).toMatchObject({ status: 404, code: -32000 });
  });

  it("answers HEAD /sse with 405 instead of opening a session nobody reads", async () => {
    const before = sessions.size;
    const res = await app.request(`${base}/sse`, { method: "HEAD" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(sessions.size).toBe(before);
  });

  it("does not keep a session the SDK refused to initialize (wrong Content-Type)", async () => {
    const before = sessions.size;
    const res = await app.request(`${base}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "content-type": "text/plain" },
      body: JSON.stringify(initialize()),
    });
    expect(res.status).toBe(415);
    expect(sessions.size).toBe(before);
  });
});

describe("memory", () => {
  // Measuring needs a full collection first; vitest's workers do not start with --expose-gc.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;

  // What the collector keeps: the JS heap plus buffers outside it.
  const retained = () => {
    const { heapUsed, external } = process.memoryUsage();
    return heapUsed + external;
  };

  async function bytesPerSession(open: () => Promise<unknown>, count: number): Promise<number> {
    const held: unknown[] = [];
    for (let i = 0; i < 20; i++) held.push(await open()); // warm up lazily built SDK state
    gc();
    const before = retained();
    for (let i = 0; i < count; i++) held.push(await open());
    gc();
    return (retained() - before) / count;
  }

  it("an idle Streamable HTTP session costs at most 60 KB of heap", async () => {
    const perSession = await bytesPerSession(initializeSession, 300);
    expect(perSession).toBeLessThan(60 * 1024);
  });

  it("an idle Streamable HTTP session listening on its GET stream costs at most 60 KB of heap", async () => {
    const perSession = await bytesPerSession(async () => {
      const id = await initializeSession();
      const res = await app.request(`${base}/mcp`, {
        headers: { accept: "text/event-stream", "mcp-session-id": id },
      });
      expect(res.status).toBe(200);
      return res.body?.getReader();
    }, 300);
    expect(perSession).toBeLessThan(60 * 1024);
  });

  it("an idle legacy SSE session, stream open, costs at most 60 KB of heap", async () => {
    const perSession = await bytesPerSession(async () => {
      const res = await app.request(`${base}/sse`);
      const reader = res.body?.getReader();
      if (!reader) throw new Error("no stream");
      await readUntil(reader, (text) => text.includes("endpoint"));
      return reader;
    }, 300);
    expect(perSession).toBeLessThan(60 * 1024);
  });
});
