import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContext } from "@mcp-tools/core";
import { testConfig } from "@mcp-tools/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { start } from "./start.js";
import {
  connectSse,
  connectStreamable,
  echo,
  eventually,
  mcpHeaders,
  openRawSession,
  readUntil,
  rpcErrorOf,
  sleep,
  startTestServer,
  streamEnds,
  type TestServer,
} from "./testing.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const gauge = async (s: TestServer, transport: string) =>
  (await s.ctx.metrics.sessionsActive.get()).values.find((v) => v.labels.transport === transport)?.value ?? 0;

describe("start", () => {
  it("listens on a free port with port 0 and serves /health, /ready and /metrics", async () => {
    server = await startTestServer();
    expect(server.service.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.service.port}`);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: "ok" });
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain("mcp_sessions_active");
  });

  it("serves /health while its embedded database cannot open, and /ready says why not", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mcp-sse-broken-"));
    await writeFile(join(dataDir, "PG_VERSION"), "99\n");
    const ctx = await createContext(testConfig({ DATA_DIR: dataDir }));
    const service = await start(ctx, { host: "127.0.0.1", port: 0 });
    try {
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
      // Opening, then failed: unready either way, and never ready.
      await expect
        .poll(async () => (await (await fetch(`${service.url}/ready`)).json()) as { reasons?: string[] }, {
          timeout: 20_000,
        })
        .toMatchObject({ reasons: ["database: could not open (see the log)"] });
      expect((await fetch(`${service.url}/ready`)).status).toBe(503);
    } finally {
      await service.stop();
      await ctx.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("stop() resolves promptly with open streams of both kinds, ending them", async () => {
    server = await startTestServer();
    const streamable = await connectStreamable(server.url);
    const legacy = await connectSse(server.url);
    const id = await openRawSession(server.url);
    const standalone = await fetch(`${server.url}/mcp`, {
      headers: { accept: "text/event-stream", "mcp-session-id": id },
    });
    const sse = await fetch(`${server.url}/sse`);
    const sseReader = sse.body?.getReader();
    if (!standalone.body || !sseReader) throw new Error("no stream");
    const standaloneReader = standalone.body.getReader();
    await readUntil(sseReader, (text) => text.includes("event: endpoint"));
    expect(await gauge(server, "sse")).toBe(2);
    expect(await gauge(server, "streamable-http")).toBe(2);

    const started = Date.now();
    await server.service.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await gauge(server, "sse")).toBe(0);
    expect(await gauge(server, "streamable-http")).toBe(0);
    await streamEnds(sseReader);
    await streamEnds(standaloneReader);
    await Promise.allSettled([streamable.close(), legacy.close()]);
    await server.ctx.close();
    server = undefined;
  });

  it("while draining, refuses new connections, asks open ones to close, and keeps open streams until stop", async () => {
    server = await startTestServer();
    const id = await openRawSession(server.url);
    const standalone = await fetch(`${server.url}/mcp`, {
      headers: { accept: "text/event-stream", "mcp-session-id": id },
    });
    const reader = standalone.body?.getReader();
    if (!reader) throw new Error("no stream");
    const session = server.service;
    server.ctx.lifecycle.startDraining();

    // A load balancer finds the port closed (once the loop has accepted what was queued) and
    // moves on to another replica...
    const tryConnect = () =>
      new Promise<string>((resolve) => {
        const socket = connect(session.port, "127.0.0.1", () => {
          socket.destroy();
          resolve("accepted");
        });
        socket.on("error", (error) => resolve(error.message));
      });
    await expect.poll(tryConnect).toMatch(/ECONNREFUSED/);
    // ...while a request on a connection already open is answered, asking the client to close it.
    const reused = await fetch(`${server.url}/health`);
    expect(reused.status).toBe(200);
    expect(reused.headers.get("connection")).toBe("close");
    // The stream opened before stays open until stop() ends it.
    await expect(streamEnds(reader, 300)).rejects.toThrow(/still open/);
    // Drained, it leaves idle connections for the client to close, cutting them after 4 s.
    const started = Date.now();
    const stopped = session.stop();
    await streamEnds(reader, 1_000);
    await stopped;
    expect(Date.now() - started).toBeLessThan(5_000);
    await server.ctx.close();
    server = undefined;
  });
});

describe("keep-alive and idle sessions", () => {
  it("sends keep-alive comments on an idle GET /mcp stream every SSE_KEEPALIVE_MS", async () => {
    server = await startTestServer({ SSE_KEEPALIVE_MS: "50" });
    const id = await openRawSession(server.url);
    const res = await fetch(`${server.url}/mcp`, {
      headers: { accept: "text/event-stream", "mcp-session-id": id },
    });
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no stream");
    const text = await readUntil(reader, (t) => t.split(": keepalive\n\n").length > 2, 2_000);
    expect(text).toContain(": keepalive\n\n");
    await reader.cancel();
  });

  it("expires a session idle for SESSION_IDLE_TIMEOUT_MS, but not one with an open stream", async () => {
    server = await startTestServer({ SESSION_IDLE_TIMEOUT_MS: "200" });
    const s = server;
    const idle = await openRawSession(s.url);
    const listening = await openRawSession(s.url);
    const stream = await fetch(`${s.url}/mcp`, {
      headers: { accept: "text/event-stream", "mcp-session-id": listening },
    });
    expect(stream.status).toBe(200);
    expect(await gauge(s, "streamable-http")).toBe(2);

    await eventually(() => gauge(s, "streamable-http"), 1, 3_000);
    const expired = await fetch(`${s.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": idle },
      body: JSON.stringify(echo(1, "late")),
    });
    expect(await rpcErrorOf(expired)).toMatchObject({ status: 404, code: -32001 });

    await sleep(400);
    const alive = await fetch(`${s.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": listening },
      body: JSON.stringify(echo(2, "connected")),
    });
    expect(alive.status).toBe(200);
    await alive.text();
    await stream.body?.cancel();
  });
});
