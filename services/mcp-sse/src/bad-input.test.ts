import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  echo,
  initialize,
  mcpHeaders,
  messagesOf,
  openRawSession,
  postFromAnotherProcess,
  rawRequest,
  readUntil,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

const MAX_BODY_BYTES = 64 * 1024;

let server: TestServer;
let session: string;
beforeAll(async () => {
  server = await startTestServer({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  session = await openRawSession(server.url);
});
afterAll(() => server.close());

let calls = 0;
/** After every refusal the same session must still answer. */
async function expectStillServing() {
  calls += 1;
  const res = await postMcp(JSON.stringify(echo(calls, `still here ${calls}`)), {
    "mcp-session-id": session,
  });
  expect(res.status).toBe(200);
  expect((await messagesOf(res))[0]).toMatchObject({
    id: calls,
    result: { structuredContent: { text: `still here ${calls}` } },
  });
}

const postMcp = (body: RequestInit["body"], headers: Record<string, string> = {}) =>
  fetch(`${server.url}/mcp`, { method: "POST", headers: { ...mcpHeaders, ...headers }, body });

/** A body that never ends unless the reader stops reading; counts what was handed to fetch. */
function endlessBody() {
  const sent = { bytes: 0 };
  const chunk = new Uint8Array(16 * 1024).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, sent };
}

describe("bad input on POST /mcp", () => {
  it("answers malformed JSON with 400 / -32700", async () => {
    expect(await rpcErrorOf(await postMcp('{"jsonrpc": "2.0", "id": 1,'))).toMatchObject({
      status: 400,
      code: -32700,
    });
    expect(await rpcErrorOf(await postMcp("{not json", { "mcp-session-id": session }))).toMatchObject({
      status: 400,
      code: -32700,
    });
    await expectStillServing();
  });

  it.each([
    ["an object without jsonrpc", { hello: "world" }],
    ["a number", 42],
    ["an empty batch", []],
    ["a request with a non-string method", { jsonrpc: "2.0", id: 1, method: 7 }],
    ["a wrong jsonrpc version", { jsonrpc: "1.0", id: 1, method: "tools/list" }],
  ])("answers valid JSON that is not JSON-RPC (%s) with 400 / -32600", async (_, body) => {
    const res = await postMcp(JSON.stringify(body), { "mcp-session-id": session });
    expect(await rpcErrorOf(res)).toMatchObject({ status: 400, code: -32600 });
    await expectStillServing();
  });

  it.each(["application/json", "text/event-stream", "text/html"])(
    "answers Accept: %s (not both types) with 406",
    async (accept) => {
      const res = await postMcp(JSON.stringify(echo(1, "x")), { accept, "mcp-session-id": session });
      expect(await rpcErrorOf(res)).toMatchObject({ status: 406, code: -32000 });
      await expectStillServing();
    },
  );

  it("answers an unknown session with 404 / -32001 Session not found", async () => {
    const res = await postMcp(JSON.stringify(echo(1, "x")), { "mcp-session-id": "no-such-session" });
    expect(await rpcErrorOf(res)).toEqual({ status: 404, code: -32001, message: "Session not found" });
    await expectStillServing();
  });

  it("answers a non-initialize request without a session id with 400", async () => {
    const res = await postMcp(JSON.stringify(echo(1, "x")));
    expect(await rpcErrorOf(res)).toEqual({
      status: 400,
      code: -32000,
      message: "Bad Request: Mcp-Session-Id header is required",
    });
    await expectStillServing();
  });

  it("answers an unsupported MCP-Protocol-Version with 400", async () => {
    const res = await postMcp(JSON.stringify(echo(1, "x")), {
      "mcp-session-id": session,
      "mcp-protocol-version": "1999-01-01",
    });
    const error = await rpcErrorOf(res);
    expect(error).toMatchObject({ status: 400, code: -32000 });
    expect(error.message).toMatch(/Unsupported protocol version: 1999-01-01/);
    await expectStillServing();
  });

  it("refuses a declared Content-Length over MAX_BODY_BYTES with 413 at once, without waiting for the body", async () => {
    const res = await rawRequest(`${server.url}/mcp`, {
      headers: { ...mcpHeaders, "mcp-session-id": session, "content-length": String(10 * 1024 ** 3) },
      body: '{"jsonrpc":"2.0",',
      end: false, // 10 GiB promised, 17 bytes sent: only an answer that does not wait can arrive
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
    await expectStillServing();
  });

  it("refuses a chunked body without Content-Length with 413 once it grows past MAX_BODY_BYTES", async () => {
    const { body, sent } = endlessBody();
    const res = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": session },
      body,
      duplex: "half",
    } as RequestInit);
    const error = await rpcErrorOf(res);
    expect(error).toMatchObject({ status: 413, code: -32000 });
    expect(error.message).toContain(String(MAX_BODY_BYTES));
    // An endless body: had the server tried to buffer all of it, no answer would ever have come.
    expect(sent.bytes).toBeGreaterThan(MAX_BODY_BYTES);
    await expectStillServing();
  });

  it("answers a body of many times MAX_BODY_BYTES with a 413 that a fetch client can read", async () => {
    // Bodies larger than the socket buffers: closing under such an upload breaks the client's pipe.
    const big = await startTestServer({ MAX_BODY_BYTES: String(1 << 20) });
    try {
      for (const path of ["/mcp", "/mcp", "/mcp", "/messages?sessionId=x", "/messages?sessionId=x"]) {
        const seen = await postFromAnotherProcess(`${big.url}${path}`, 4 << 20);
        expect(seen).toMatchObject({ status: 413 });
        expect(JSON.parse(seen.body ?? "")).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
      }
    } finally {
      await big.close();
    }
  });

  it("refuses a finite chunked body over MAX_BODY_BYTES with 413", async () => {
    const res = await rawRequest(`${server.url}/mcp`, {
      headers: { ...mcpHeaders, "mcp-session-id": session, "transfer-encoding": "chunked" },
      body: JSON.stringify(echo(1, "x".repeat(MAX_BODY_BYTES))),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
    await expectStillServing();
  });

  it("refuses an Origin outside the allow-list with 403", async () => {
    const res = await postMcp(JSON.stringify(initialize()), { origin: "http://evil.example" });
    const error = await rpcErrorOf(res);
    expect(error).toMatchObject({ status: 403, code: -32000 });
    expect(error.message).toContain("http://evil.example");
    const own = await postMcp(JSON.stringify(echo(1, "own origin")), {
      origin: `http://localhost:${server.service.port}`,
      "mcp-session-id": session,
    });
    expect(own.status).toBe(200);
    await own.text();
    await expectStillServing();
  });

  it("refuses a Host outside the allow-list with 403 when bound to loopback (DNS rebinding)", async () => {
    const res = await rawRequest(`${server.url}/mcp`, {
      headers: { ...mcpHeaders, host: `attacker.example:${server.service.port}` },
      body: JSON.stringify(initialize()),
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
    await expectStillServing();
  });

  it.each([
    ["PUT", "/mcp", "GET, POST, DELETE"],
    ["PATCH", "/mcp", "GET, POST, DELETE"],
    ["HEAD", "/mcp", "GET, POST, DELETE"],
    ["POST", "/sse", "GET"],
    ["GET", "/messages", "POST"],
  ])("answers %s %s with 405 and Allow: %s", async (method, path, allow) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: mcpHeaders });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    if (method !== "HEAD") expect(await rpcErrorOf(res)).toMatchObject({ status: 405, code: -32000 });
    await expectStillServing();
  });

  it("answers GET and DELETE /mcp without a session id with 400, with an unknown one 404", async () => {
    for (const method of ["GET", "DELETE"]) {
      const missing = await fetch(`${server.url}/mcp`, { method, headers: { accept: "text/event-stream" } });
      expect(await rpcErrorOf(missing)).toMatchObject({ status: 400, code: -32000 });
      const unknown = await fetch(`${server.url}/mcp`, {
        method,
        headers: { accept: "text/event-stream", "mcp-session-id": "nope" },
      });
      expect(await rpcErrorOf(unknown)).toMatchObject({ status: 404, code: -32001 });
    }
    await expectStillServing();
  });
});

describe("bad input on POST /messages", () => {
  async function openLegacy() {
    const res = await fetch(`${server.url}/sse`);
    if (!res.body) throw new Error("no body");
    const reader = res.body.getReader();
    const first = await readUntil(reader, (text) => text.includes("\n\n"));
    const endpoint = /data: (.+)\n/.exec(first)?.[1] ?? "";
    return { reader, endpoint: `${server.url}${endpoint}` };
  }
  const post = (url: string, body: RequestInit["body"], headers: Record<string, string> = {}) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  it("answers an unknown or missing sessionId with 404 / 400", async () => {
    const unknown = await post(`${server.url}/messages?sessionId=nope`, JSON.stringify(echo(1, "x")));
    expect(await rpcErrorOf(unknown)).toEqual({ status: 404, code: -32001, message: "Session not found" });
    const missing = await post(`${server.url}/messages`, JSON.stringify(echo(1, "x")));
    expect(await rpcErrorOf(missing)).toMatchObject({ status: 400, code: -32000 });
    await expectStillServing();
  });

  it("answers bad JSON with 400 / -32700, non-JSON-RPC with 400 / -32600, and keeps the session", async () => {
    const { reader, endpoint } = await openLegacy();
    expect(await rpcErrorOf(await post(endpoint, "{oops"))).toMatchObject({ status: 400, code: -32700 });
    expect(await rpcErrorOf(await post(endpoint, '{"a":1}'))).toMatchObject({ status: 400, code: -32600 });
    expect(
      await rpcErrorOf(await post(endpoint, "{}", { "mcp-protocol-version": "1999-01-01" })),
    ).toMatchObject({
      status: 400,
      code: -32000,
    });
    expect((await post(endpoint, JSON.stringify(initialize(7)))).status).toBe(202);
    expect(await readUntil(reader, (text) => text.includes('"id":7'))).toContain("event: message");
    await reader.cancel();
    await expectStillServing();
  });

  it("refuses a body over MAX_BODY_BYTES with 413, declared or chunked", async () => {
    const { reader, endpoint } = await openLegacy();
    const declared = await rawRequest(endpoint, {
      headers: { "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) },
      end: false,
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ error: { code: -32000 } });
    const chunked = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: endlessBody().body,
      duplex: "half",
    } as RequestInit);
    expect(await rpcErrorOf(chunked)).toMatchObject({ status: 413, code: -32000 });
    await reader.cancel();
    await expectStillServing();
  });
});
