import { Agent, request } from "node:http";
import { connect } from "node:net";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { type ServedApp, serveApp } from "./serve.js";

let served: ServedApp | undefined;
afterEach(async () => {
  await served?.close({ graceMs: 10 });
  served = undefined;
});

function slowApp(ms: number) {
  const app = new Hono();
  app.get("/", (c) => c.text("hi"));
  // As SSE responses do: an explicit keep-alive, which a draining server must override.
  app.get("/keep", (c) => c.text("kept", 200, { connection: "keep-alive" }));
  app.get("/slow", () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        setTimeout(() => {
          controller.enqueue(new TextEncoder().encode("done"));
          controller.close();
        }, ms);
      },
    });
    return new Response(body);
  });
  return app;
}

// fetch pools its sockets; a plain keep-alive request shows what the server does with one.
function get(url: string, agent?: Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { connection: "keep-alive" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      res.on("close", () => {
        if (!res.complete) reject(new Error("connection closed before the response ended"));
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serveApp", () => {
  it("resolves once listening on a free port and answers requests", async () => {
    served = await serveApp(slowApp(0), { host: "127.0.0.1", port: 0 });
    expect(served.port).toBeGreaterThan(0);
    expect(served.url).toBe(`http://127.0.0.1:${served.port}`);
    expect(await get(`${served.url}/`)).toMatchObject({ status: 200, body: "hi" });
  });

  it("brackets an IPv6 host in the url", async () => {
    served = await serveApp(slowApp(0), { host: "::1", port: 0 }).catch(() => undefined);
    if (!served) return; // no IPv6 loopback on this machine
    expect(served.url).toBe(`http://[::1]:${served.port}`);
    expect((await get(`${served.url}/`)).status).toBe(200);
  });

  it("rejects when the port is taken", async () => {
    served = await serveApp(slowApp(0), { host: "127.0.0.1", port: 0 });
    await expect(serveApp(slowApp(0), { host: "127.0.0.1", port: served.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });

  it("closes promptly with an idle keep-alive connection open", async () => {
    served = await serveApp(slowApp(0), { host: "127.0.0.1", port: 0 });
    await get(`${served.url}/`);
    const started = Date.now();
    await served.close({ graceMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("lets a request in progress finish, then closes its connection", async () => {
    served = await serveApp(slowApp(200), { host: "127.0.0.1", port: 0 });
    const pending = get(`${served.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await served.close({ graceMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toMatchObject({ status: 200, body: "done" });
  });

  it("cuts a request still running when the grace period ends", async () => {
    served = await serveApp(slowApp(60_000), { host: "127.0.0.1", port: 0 });
    const pending = get(`${served.url}/slow`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await served.close({ graceMs: 100 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it("while draining, refuses new connections but answers one on a kept-alive connection, then closes it", async () => {
    served = await serveApp(slowApp(0), { host: "127.0.0.1", port: 0 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(`${served.url}/keep`, agent)).toMatchObject({ status: 200, connection: "keep-alive" });
      served.drain();
      // The listener closes once the loop has polled again (see the test below).
      const tryNew = () => get(`${served?.url}/`).then(() => "accepted", String);
      await expect.poll(tryNew).toMatch(/ECONNREFUSED/);
      // The idle connection was left open: a request already on its way is answered, not reset.
      expect(await get(`${served.url}/keep`, agent)).toEqual({
        status: 200,
        body: "kept",
        connection: "close",
      });
      const started = Date.now();
      await served.close({ graceMs: 5_000 });
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      agent.destroy();
    }
  });

  it("answers a connection the kernel had queued when the drain began, instead of resetting it", async () => {
    served = await serveApp(slowApp(0), { host: "127.0.0.1", port: 0 });
    const socket = connect({ host: "127.0.0.1", port: served.port });
    const answer = new Promise<string>((resolve, reject) => {
      let text = "";
      socket.on("connect", () =>
        socket.write("GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n"),
      );
      socket.on("data", (chunk) => {
        text += chunk.toString("utf8");
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    // Node connects on the next tick; once it has, the connection waits in the kernel's queue
    // until the loop polls. Draining now is what a SIGTERM handler does to a busy server.
    await new Promise((resolve) => process.nextTick(resolve));
    served.drain();
    expect(await answer).toMatch(/^HTTP\/1\.1 200/);
  });

  it("once drained, waits for the client to close an idle connection, up to the grace period", async () => {
    served = await serveApp(slowApp(0), { host: "127.0.0.1", port: 0 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await get(`${served.url}/`, agent);
    served.drain();
    const closed = served.close({ graceMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    let done = false;
    void closed.then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    agent.destroy();
    await closed;
  });

  it("can be closed twice", async () => {
    served = await serveApp(slowApp(0), { host: "127.0.0.1", port: 0 });
    await Promise.all([served.close(), served.close()]);
  });
});
