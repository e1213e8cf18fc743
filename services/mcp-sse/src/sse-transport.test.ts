import { describe, expect, it, vi } from "vitest";
import { SseServerTransport } from "./sse-transport.js";
import { createStreamBuffers } from "./stream-buffer.js";
import { readUntil, sleep } from "./testing.js";

const buffers = createStreamBuffers({ maxBytes: 1 << 20, log: { info: () => undefined } });
const create = (keepAliveMs = 60_000) =>
  new SseServerTransport({ sessionId: "s1", endpoint: "/base/messages?sessionId=s1", keepAliveMs, buffers });

describe("SseServerTransport", () => {
  it("starts the stream with the endpoint event, then one message event per message", async () => {
    const transport = create();
    await transport.start();
    await transport.send({ jsonrpc: "2.0", id: 1, result: { ok: true } });
    await transport.send({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });
    const text = await readUntil(transport.stream.getReader(), (t) => t.includes("list_changed"));
    expect(text).toBe(
      "event: endpoint\ndata: /base/messages?sessionId=s1\n\n" +
        'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"ok":true}}\n\n' +
        'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/tools/list_changed"}\n\n',
    );
    await transport.close();
  });

  it("writes a keep-alive comment every keepAliveMs", async () => {
    const transport = create(20);
    await transport.start();
    const text = await readUntil(
      transport.stream.getReader(),
      (t) => t.split(": keepalive\n\n").length > 3,
      1_000,
    );
    expect(text.startsWith("event: endpoint")).toBe(true);
    await transport.close();
  });

  it("hands POSTed messages to onmessage", () => {
    const transport = create();
    const onmessage = vi.fn();
    transport.onmessage = onmessage;
    transport.handleMessage({ jsonrpc: "2.0", id: 3, method: "ping" });
    expect(onmessage).toHaveBeenCalledWith({ jsonrpc: "2.0", id: 3, method: "ping" }, undefined);
  });

  it("closes, once, when the client cancels the stream", async () => {
    const transport = create(10);
    const onclose = vi.fn();
    transport.onclose = onclose;
    await transport.start();
    await transport.stream.cancel();
    await sleep(30); // a keep-alive tick after the cancel must not fail or reopen anything
    await transport.close();
    expect(onclose).toHaveBeenCalledOnce();
    await expect(transport.send({ jsonrpc: "2.0", id: 1, result: {} })).rejects.toThrow("Not connected");
  });

  it("ends the stream on close()", async () => {
    const transport = create();
    await transport.start();
    const reader = transport.stream.getReader();
    await reader.read();
    await transport.close();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });

  it("closes, once, when its client stops reading and more than the bound waits", async () => {
    const small = createStreamBuffers({ maxBytes: 100, log: { info: () => undefined } });
    const transport = new SseServerTransport({
      sessionId: "s2",
      endpoint: "/messages",
      keepAliveMs: 60_000,
      buffers: small,
    });
    const onclose = vi.fn();
    transport.onclose = onclose;
    await transport.start();
    await transport.send({ jsonrpc: "2.0", id: 1, result: { text: "x".repeat(200) } });
    await transport.send({ jsonrpc: "2.0", id: 2, result: {} }); // 200+ bytes wait: cut off
    expect(onclose).toHaveBeenCalledOnce();
    await expect(transport.send({ jsonrpc: "2.0", id: 3, result: {} })).rejects.toThrow("Not connected");
    await expect(transport.stream.getReader().read()).rejects.toThrow(/stopped reading/);
  });

  it("refuses to start twice", async () => {
    const transport = create();
    await transport.start();
    await expect(transport.start()).rejects.toThrow(/already started/);
    await transport.close();
  });
});
