import http from "node:http";
import { type AppContext, type Bus, type ContextOptions, createMemoryBus } from "@mcp-tools/core";
import {
  canStartThrowaway,
  createTestContext,
  realServiceUrl,
  startThrowawayRedis,
  uniquePrefix,
} from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { type McpHttpService, start } from "../start.js";
import { createGate, waitCall } from "../testing/gate.js";
import { scraped } from "../testing/metrics.js";
import { stalledRequest } from "../testing/stalled.js";
import { echo, mcpHeaders, messagesOf, openRawSession, readUntil, rpcErrorOf } from "../testing.js";
import { channelOf } from "./relay-frames.js";

/** One MCP HTTP server of a cluster: its own context (so its own process id) and listener. */
interface Replica {
  ctx: AppContext;
  service: McpHttpService;
  url: string;
  /** Requests that reached this replica, by path. */
  hits: string[];
}

let replicas: Replica[] = [];
let sharedBus: Bus | undefined;
afterEach(async () => {
  await Promise.allSettled(replicas.map((r) => r.service.stop().finally(() => r.ctx.close())));
  replicas = [];
  await sharedBus?.close();
  sharedBus = undefined;
});

async function startReplica(env: Record<string, string>, options: ContextOptions = {}): Promise<Replica> {
  const ctx = await createTestContext(env, options);
  const service = await start(ctx, { host: "127.0.0.1", port: 0 });
  const replica: Replica = { ctx, service, url: service.url, hits: [] };
  replicas.push(replica);
  return replica;
}

/** A fetch that sends each request to the next replica in turn, as a round-robin balancer does. */
function roundRobin(targets: Replica[]): typeof fetch {
  let next = 0;
  return (input, init) => {
    const target = targets[next++ % targets.length] as Replica;
    const url = new URL(input instanceof Request ? input.url : String(input));
    target.hits.push(url.pathname);
    return fetch(`${target.url}${url.pathname}${url.search}`, init);
  };
}

async function streamableClient(targets: Replica[]): Promise<Client> {
  const client = new Client({ name: "cluster-test", version: "1.0.0" });
  const entry = targets[0] as Replica;
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${entry.url}/mcp`), { fetch: roundRobin(targets) }),
  );
  return client;
}

/** A legacy client whose stream stays on the first replica while its POSTs go round the others. */
async function sseClient(targets: Replica[]): Promise<Client> {
  const client = new Client({ name: "cluster-test-sse", version: "1.0.0" });
  const entry = targets[0] as Replica;
  await client.connect(new SSEClientTransport(new URL(`${entry.url}/sse`), { fetch: roundRobin(targets) }));
  return client;
}

/** Requests to `baseUrl` over one keep-alive connection, answered as fetch Responses. */
function keptAlive(baseUrl: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    async request(
      method: string,
      path: string,
      init: { headers?: Record<string, string>; body?: string } = {},
    ) {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http
          .request(`${baseUrl}${path}`, { method, agent, headers: init.headers }, resolve)
          .on("error", reject)
          .end(init.body);
      });
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers))
        if (typeof value === "string") headers.set(name, value);
      return new Response(Buffer.concat(chunks), { status: response.statusCode, headers });
    },
    /** Whether the connection is back in the pool, for the next request to take. */
    get idle() {
      return Object.keys(agent.freeSockets).length === 1;
    },
    close: () => agent.destroy(),
  };
}

const echoed = async (client: Client, text: string) =>
  (await client.callTool({ name: "echo", arguments: { text } })).structuredContent;

/** The tests every bus runs: two replicas sharing it, requests landing on either. */
function clusterBehaviour(twoReplicas: (options?: ContextOptions) => Promise<[Replica, Replica]>) {
  it("answers a Streamable HTTP session's requests on whichever replica they land", async () => {
    const [a, b] = await twoReplicas();
    const client = await streamableClient([a, b]);
    for (let i = 0; i < 10; i += 1) expect(await echoed(client, `call ${i}`)).toEqual({ text: `call ${i}` });
    const relayed = b.hits.filter((path) => path === "/mcp").length;
    expect(relayed).toBeGreaterThanOrEqual(5);
    const counted = await b.ctx.metrics.relayedRequests.get();
    expect(
      counted.values.find((v) => v.labels.route === "mcp" && v.labels.outcome === "answered")?.value,
    ).toBe(relayed);
    await client.close();
  });

  it("delivers legacy /messages posted to another replica onto the stream of the one that holds it", async () => {
    const [a, b] = await twoReplicas();
    const client = await sseClient([a, b]);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => echoed(client, `sse ${i}`)));
    expect(answers).toEqual(Array.from({ length: 10 }, (_, i) => ({ text: `sse ${i}` })));
    expect(b.hits.filter((path) => path === "/messages").length).toBeGreaterThanOrEqual(5);
    await client.close();
  });

  it("relays a GET stream from the owner, keep-alives and all, and ends it when the owner stops", async () => {
    const [a, b] = await twoReplicas();
    const id = await openRawSession(a.url);
    const stream = await fetch(`${b.url}/mcp`, {
      headers: { accept: "text/event-stream", "mcp-session-id": id },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const reader = stream.body?.getReader();
    if (!reader) throw new Error("no stream");
    expect(await readUntil(reader, (text) => text.includes(": keepalive"), 3_000)).toContain(": keepalive");
    await a.service.stop();
    await expect(reader.read()).resolves.toMatchObject({ done: true });
  });

  it("never puts a session id on the bus: relayed requests and answers carry its hash", async () => {
    const [a, b] = await twoReplicas();
    const wire: string[] = [];
    for (const replica of [a, b])
      await replica.ctx.bus.subscribe(channelOf(replica.ctx.presence.processId), (text) => wire.push(text));
    const id = await openRawSession(a.url);
    const answer = await fetch(`${b.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(echo(1, "hashed")),
    });
    expect(answer.headers.get("mcp-session-id")).toBe(id);
    expect(await answer.text()).toContain("hashed");
    expect(wire.length).toBeGreaterThanOrEqual(2);
    expect(wire.filter((text) => text.includes(id))).toEqual([]);
  });

  it("carries a 5 MB answer from the owner whole, in frames of at most 64 KiB", async () => {
    const [a, b] = await twoReplicas();
    const id = await openRawSession(a.url);
    const sizes: number[] = [];
    await b.ctx.bus.subscribe(channelOf(b.ctx.presence.processId), (text) =>
      sizes.push(Buffer.byteLength(text)),
    );
    // Echo answers its text twice (content and structuredContent): 2.6 MB of text, a 5 MB answer.
    const text = "é😀".repeat(450_000);
    const answer = await fetch(`${b.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(echo(1, text)),
    });
    const [message] = await messagesOf(answer);
    const result = message?.result as { structuredContent?: { text?: string } } | undefined;
    expect(result?.structuredContent?.text === text).toBe(true);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(5_000_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
  });

  it("answers a relayed call that is in flight when its owner starts draining, before the owner stops", async () => {
    const gate = createGate();
    const [a, b] = await twoReplicas({ tools: gate.tools });
    const id = await openRawSession(a.url);
    const answer = fetch(`${b.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(waitCall(7)),
    });
    await expect.poll(() => gate.waiting).toBe(1);
    // What the launcher does on SIGTERM: drain, wait until idle, then stop.
    a.ctx.lifecycle.startDraining();
    const idle = a.ctx.lifecycle.idle(10_000);
    gate.release();
    expect(await idle).toBe(true);
    await a.service.stop();
    expect((await messagesOf(await answer))[0]).toMatchObject({
      id: 7,
      result: { structuredContent: { waited: true } },
    });
  });

  it("answers a call relayed by a replica that is stopping, before its relay closes", async () => {
    const gate = createGate();
    const [a, b] = await twoReplicas({ tools: gate.tools });
    const id = await openRawSession(a.url);
    // A request may still come on a keep-alive connection opened before b began to drain.
    const connection = keptAlive(b.url);
    await connection.request("GET", "/health");
    await expect.poll(() => connection.idle).toBe(true);
    b.ctx.lifecycle.startDraining();
    expect(await b.ctx.lifecycle.idle(1_000)).toBe(true);
    const answer = connection.request("POST", "/mcp", {
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(waitCall(8)),
    });
    await expect.poll(() => gate.waiting).toBe(1);
    const stopped = b.service.stop();
    setTimeout(() => gate.release(), 200);
    expect((await messagesOf(await answer))[0]).toMatchObject({
      id: 8,
      result: { structuredContent: { waited: true } },
    });
    await stopped;
    connection.close();
  });

  it("answers 404 on every replica once the owner drains, and for a session nobody holds", async () => {
    const [a, b] = await twoReplicas();
    const id = await openRawSession(a.url);
    const call = (replica: Replica, sessionId: string) =>
      fetch(`${replica.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, "mcp-session-id": sessionId },
        body: JSON.stringify(echo(1, "hello")),
      });
    expect((await messagesOf(await call(b, id)))[0]).toMatchObject({
      result: { structuredContent: { text: "hello" } },
    });
    expect(await rpcErrorOf(await call(b, "no-such-session"))).toMatchObject({ status: 404, code: -32001 });
    const sse = await fetch(`${a.url}/sse`);
    const reader = sse.body?.getReader();
    if (!reader) throw new Error("no stream");
    const endpoint =
      /data: (\S+)/.exec(await readUntil(reader, (text) => text.includes("data: ")))?.[1] ?? "";
    const post = (replica: Replica) =>
      fetch(`${replica.url}${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(echo(2, "legacy")),
      });
    expect((await post(b)).status).toBe(202);

    a.ctx.lifecycle.startDraining();
    await expect.poll(async () => (await call(b, id)).status, { timeout: 2_000 }).toBe(404);
    // Not 202 and silence: a draining owner takes no new message, and the client must hear so.
    expect((await post(b)).status).toBe(404);
    await reader.cancel();
  });
}

// Each test starts two full contexts (embedded database, migrations): slow on a busy machine.
const slow = { timeout: 120_000 };

describe("a cluster on one in-process bus", slow, () => {
  clusterBehaviour(async (options = {}) => {
    const bus = createMemoryBus();
    sharedBus = bus;
    const env = { SSE_KEEPALIVE_MS: "200" };
    return [await startReplica(env, { ...options, bus }), await startReplica(env, { ...options, bus })];
  });

  it("closes a relayed stream whose client stopped reading once the bound waits unread where it reads", async () => {
    const bus = createMemoryBus();
    sharedBus = bus;
    const max = 1024 * 1024;
    const env = { STREAM_BUFFER_MAX_BYTES: String(max), MAX_BODY_BYTES: String(16 * max) };
    const [a, b] = [await startReplica(env, { bus }), await startReplica(env, { bus })];
    const id = await openRawSession(a.url);
    const text = "x".repeat(256 * 1024);
    const client = await stalledRequest(b.url, {
      method: "POST",
      path: "/mcp",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(Array.from({ length: 40 }, (_, i) => echo(i + 1, text))),
    });
    const closedSlow = async () => (await b.ctx.metrics.slowStreamsClosed.get()).values[0]?.value ?? 0;
    await expect.poll(closedSlow, { timeout: 20_000 }).toBe(1);
    // An echo answer carries its text twice; at most one more relay frame goes in past the bound.
    expect(await scraped(b.url, "mcp_stream_buffered_bytes_peak")).toBeLessThanOrEqual(max + 64 * 1024);
    client.destroy();
  });
});

const redisUrl = realServiceUrl("REDIS_URL");

describe.skipIf(!redisUrl)("a cluster on Redis", slow, () => {
  const twoReplicas = async (options: ContextOptions = {}): Promise<[Replica, Replica]> => {
    const env = {
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: uniquePrefix(),
      RELAY_SECRET: "the cluster test's relay secret, 32+ chars",
      SSE_KEEPALIVE_MS: "200",
    };
    return [await startReplica(env, options), await startReplica(env, options)];
  };
  clusterBehaviour(twoReplicas);

  it("answers 404 at once when the owner has died without a word", async () => {
    const [a, b] = await twoReplicas();
    const id = await openRawSession(a.url);
    // What Redis sees of a killed process: its connections close.
    await a.ctx.bus.close();
    const started = Date.now();
    const answer = await fetch(`${b.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": id },
      body: JSON.stringify(echo(1, "anyone?")),
    });
    expect(await rpcErrorOf(answer)).toMatchObject({ status: 404, code: -32001 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe.skipIf(!canStartThrowaway("redis"))("a cluster while Redis is down", slow, () => {
  it("keeps serving sessions on their own replica, fails relayed requests fast with 503, and recovers", async () => {
    const redis = await startThrowawayRedis();
    try {
      const env = { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix() };
      const [a, b] = [await startReplica(env), await startReplica(env)];
      const id = await openRawSession(a.url);
      const call = (replica: Replica, text: string) =>
        fetch(`${replica.url}/mcp`, {
          method: "POST",
          headers: { ...mcpHeaders, "mcp-session-id": id },
          body: JSON.stringify(echo(1, text)),
        });
      await redis.stop();

      expect((await messagesOf(await call(a, "local")))[0]).toMatchObject({
        result: { structuredContent: { text: "local" } },
      });
      const started = Date.now();
      const relayed = await rpcErrorOf(await call(b, "relayed"));
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(relayed).toMatchObject({ status: 503, code: -32000 });
      expect(relayed.message).toMatch(/message bus \(Redis\)/);

      // A restarted Redis has lost the directory; the owner records its sessions again at once.
      await redis.start();
      await expect
        .poll(async () => (await call(b, "again")).status, { timeout: 10_000, interval: 200 })
        .toBe(200);
    } finally {
      await Promise.allSettled(replicas.map((r) => r.service.stop().finally(() => r.ctx.close())));
      replicas = [];
      await redis.destroy();
    }
  });
});
