import { createMetrics, publicSessionId } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createMcpHttpApp } from "./app.js";
import { createStreamBuffers } from "./stream-buffer.js";
import { scraped } from "./testing/metrics.js";
import { stalledRequest } from "./testing/stalled.js";
import {
  connectStreamable,
  echo,
  initialize,
  mcpHeaders,
  openRawSession,
  sleep,
  startTestServer,
  type TestServer,
} from "./testing.js";

const bytes = (count: number) => new Uint8Array(count).fill(0x61);
const silent = { info: vi.fn() };

describe("bounded streams", () => {
  it("delivers a message larger than the bound, and many, to a client that keeps reading", async () => {
    const buffers = createStreamBuffers({ maxBytes: 10, log: silent });
    const out = buffers.open({ transport: "sse", sessionId: "s" });
    const reader = out.stream.getReader();
    let read = 0;
    for (let i = 0; i < 5; i++) {
      expect(out.write(bytes(100))).toBe(true);
      read += (await reader.read()).value?.byteLength ?? 0;
    }
    expect(read).toBe(500);
    expect(buffers.waiting()).toBe(0);
  });

  it("closes the stream once, as more is written, more than the bound waits unread, and frees it", async () => {
    const metrics = createMetrics();
    const log = { info: vi.fn() };
    const buffers = createStreamBuffers({ maxBytes: 100, metrics, log });
    const onEnd = vi.fn();
    const out = buffers.open({ transport: "sse", sessionId: "s1", onEnd });
    expect(out.write(bytes(60))).toBe(true);
    expect(out.write(bytes(60))).toBe(true); // 60 waited: not more than 100
    expect(buffers.waiting()).toBe(120);
    expect(out.write(bytes(1))).toBe(false); // 120 waited
    expect(onEnd).toHaveBeenCalledExactlyOnceWith("cut");
    expect(buffers.waiting()).toBe(0);
    expect(buffers.peak).toBe(120);
    expect(out.write(bytes(1))).toBe(false);
    // No connection to cut here: the stream itself ends in an error, dropping what it held.
    await expect(out.stream.getReader().read()).rejects.toThrow(/stopped reading/);
    expect((await metrics.slowStreamsClosed.get()).values).toEqual([
      expect.objectContaining({ labels: { transport: "sse" }, value: 1 }),
    ]);
    expect(log.info).toHaveBeenCalledWith(
      expect.objectContaining({ session: publicSessionId("s1"), waitingBytes: 120, maxBytes: 100 }),
      expect.stringMatching(/stopped reading/),
    );
  });

  it("ends the connection under the stream, as a client that went away, when there is one", () => {
    const buffers = createStreamBuffers({ maxBytes: 10, log: silent });
    const connection = { destroy: vi.fn() };
    const out = buffers.open({ transport: "sse", sessionId: "s", connection });
    out.write(bytes(20));
    expect(out.write(bytes(1))).toBe(false);
    expect(connection.destroy).toHaveBeenCalledOnce();
  });

  it("drains a stream it does not own as fast as it is written, and cancels it when cut", async () => {
    const buffers = createStreamBuffers({ maxBytes: 1_000, log: silent });
    let written = 0;
    const cancelled = vi.fn();
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        written += 100;
        controller.enqueue(bytes(100));
      },
      cancel: cancelled,
    });
    const bounded = buffers.bound(source, { transport: "streamable-http", sessionId: "s" });
    await expect.poll(() => cancelled.mock.calls.length).toBe(1);
    expect(written).toBeLessThan(1_300);
    expect(buffers.peak).toBeLessThanOrEqual(1_100);
    await expect(bounded.getReader().read()).rejects.toThrow();
  });

  it("passes a stream it does not own through to its end, and cancels it when the client goes", async () => {
    const buffers = createStreamBuffers({ maxBytes: 1_000, log: silent });
    const finite = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(3));
        controller.close();
      },
    });
    const reader = buffers.bound(finite, { transport: "sse", sessionId: "s" }).getReader();
    expect((await reader.read()).value?.byteLength).toBe(3);
    expect((await reader.read()).done).toBe(true);

    const cancelled = vi.fn();
    const endless = new ReadableStream<Uint8Array>({ cancel: cancelled });
    await buffers.bound(endless, { transport: "sse", sessionId: "s" }).cancel();
    expect(cancelled).toHaveBeenCalledOnce();
  });
});

const MAX = 1024 * 1024;
const TEXT = "x".repeat(256 * 1024);
// An echo reply carries the text twice (content and structuredContent), plus its envelope.
const LARGEST_MESSAGE = 2 * TEXT.length + 1024;

describe("a client that stops reading its stream", { timeout: 120_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      STREAM_BUFFER_MAX_BYTES: String(MAX),
      MAX_BODY_BYTES: String(16 * MAX),
    });
  });
  afterAll(() => server.close());

  const closedSlow = async (transport: string) =>
    (await server.ctx.metrics.slowStreamsClosed.get()).values.find((v) => v.labels.transport === transport)
      ?.value ?? 0;

  it("has its legacy SSE stream, and so its session, closed once the bound waits unread", async () => {
    const client = await stalledRequest(server.url, {
      path: "/sse",
      headers: { accept: "text/event-stream" },
      readUntil: (text) => /sessionId=[\w-]+\n\n/.test(text),
    });
    const endpoint = /data: (\S+)\n\n/.exec(client.received)?.[1] ?? "";
    const post = (message: unknown) =>
      fetch(`${server.url}${endpoint}`, {
        method: "POST",
        headers: mcpHeaders,
        body: JSON.stringify(message),
      });
    expect((await post(initialize(0))).status).toBe(202);
    // Far more than the kernel's buffers and the bound hold together.
    let status = 202;
    for (let id = 1; id <= 60 && status === 202; id++) status = (await post(echo(id, TEXT))).status;

    await expect.poll(() => closedSlow("sse"), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await post(echo(99, "gone?"))).status).toBe(404);
    expect(await scraped(server.url, "mcp_stream_buffered_bytes_peak")).toBeLessThanOrEqual(
      MAX + LARGEST_MESSAGE,
    );
    await expect.poll(() => scraped(server.url, "mcp_stream_buffered_bytes")).toBe(0);

    const other = await connectStreamable(server.url, "other");
    expect(
      (await other.callTool({ name: "echo", arguments: { text: "meanwhile" } })).structuredContent,
    ).toEqual({
      text: "meanwhile",
    });
    await other.close();
    client.destroy();
  });

  it("has a Streamable HTTP POST's answer stream closed once the bound waits unread; the session lives on", async () => {
    const session = await openRawSession(server.url);
    const batch = Array.from({ length: 40 }, (_, i) => echo(i + 1, TEXT));
    const before = await closedSlow("streamable-http");
    const client = await stalledRequest(server.url, {
      method: "POST",
      path: "/mcp",
      headers: { ...mcpHeaders, "mcp-session-id": session },
      body: JSON.stringify(batch),
    });

    await expect.poll(() => closedSlow("streamable-http"), { timeout: 20_000 }).toBe(before + 1);
    expect(await scraped(server.url, "mcp_stream_buffered_bytes_peak")).toBeLessThanOrEqual(
      MAX + LARGEST_MESSAGE,
    );
    await expect.poll(() => scraped(server.url, "mcp_stream_buffered_bytes")).toBe(0);
    const after = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": session },
      body: JSON.stringify(echo(100, "still open")),
    });
    expect(await after.text()).toContain('"text":"still open"');
    client.destroy();
  });
});

describe("a Streamable HTTP GET stream nobody reads", () => {
  it("is closed once its keep-alives pile past the bound, as if the client had gone, and can be reopened", async () => {
    const ctx = await createTestContext({
      MCP_AUTH: "off",
      STREAM_BUFFER_MAX_BYTES: "100",
      SSE_KEEPALIVE_MS: "5",
    });
    const app = createMcpHttpApp(ctx);
    const base = "http://localhost:9090";
    try {
      const opened = await app.request(`${base}/mcp`, {
        method: "POST",
        headers: mcpHeaders,
        body: JSON.stringify(initialize()),
      });
      const id = opened.headers.get("mcp-session-id") ?? "";
      await opened.text();
      const listen = () =>
        app.request(`${base}/mcp`, { headers: { accept: "text/event-stream", "mcp-session-id": id } });
      const unread = await listen();
      expect(unread.status).toBe(200);
      await expect
        .poll(async () => (await ctx.metrics.slowStreamsClosed.get()).values[0]?.value ?? 0)
        .toBe(1);
      await expect(unread.body?.getReader().read()).rejects.toThrow(/stopped reading/);
      await sleep(0);
      const again = await listen();
      expect(again.status).toBe(200);
      await again.body?.cancel();
    } finally {
      await ctx.close();
    }
  });
});
