import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGate, waitCall } from "./testing/gate.js";
import { initialize, mcpHeaders, readUntil, sleep, startTestServer, type TestServer } from "./testing.js";

const POLL_AFTER_MS = 100;
const gate = createGate();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SSE_POLL_AFTER_MS: String(POLL_AFTER_MS) }, { tools: gate.tools });
});
afterAll(() => server.close());

/** An SDK client whose requests are recorded: method and Last-Event-ID. */
async function recordingClient() {
  const requests: Array<{ method: string; lastEventId: string | null }> = [];
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      requests.push({ method: init?.method ?? "GET", lastEventId: headers.get("last-event-id") });
      return fetch(input, init);
    },
  });
  const client = new Client({ name: "polling-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, requests };
}

/** Starts the gated `wait` call in a raw session: the response is the call's stream. */
const postWaitCall = (url: string, headers: Record<string, string>, id: number) =>
  fetch(`${url}/mcp`, { method: "POST", headers, body: JSON.stringify(waitCall(id)) });

async function rawSession(protocolVersion: string, url = server.url) {
  const res = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: mcpHeaders,
    body: JSON.stringify({ ...initialize(), params: { ...initialize().params, protocolVersion } }),
  });
  await res.text();
  const session = res.headers.get("mcp-session-id") ?? "";
  const headers = { ...mcpHeaders, "mcp-session-id": session, "mcp-protocol-version": protocolVersion };
  await fetch(`${url}/mcp`, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  return headers;
}

describe("SSE_POLL_AFTER_MS", () => {
  it("closes a long call's stream and the SDK client still gets the result, by GET with Last-Event-ID", async () => {
    const { client, requests } = await recordingClient();
    try {
      const call = client.callTool({ name: "wait", arguments: {} });
      // The client comes back for the rest only once the server has closed the call's stream.
      await expect
        .poll(() => requests.some((r) => r.method === "GET" && r.lastEventId !== null), { timeout: 5_000 })
        .toBe(true);
      expect(gate.waiting).toBe(1);
      gate.release();
      expect(await call).toMatchObject({ structuredContent: { waited: true } });
    } finally {
      await client.close();
    }
  });

  it("opens a 2025-11-25 call's stream with an event id and a retry hint, and ends it before the answer", async () => {
    const headers = await rawSession("2025-11-25");
    const res = await postWaitCall(server.url, headers, 7);
    const text = await readUntil(
      res.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>,
      () => false,
      2_000,
    );
    expect(text).toMatch(/^id: (\S+)\nretry: \d+\ndata: \n\n$/);
    const lastEventId = /^id: (\S+)/.exec(text)?.[1] ?? "";

    const resumed = await fetch(`${server.url}/mcp`, {
      headers: { ...headers, accept: "text/event-stream", "last-event-id": lastEventId },
    });
    expect(resumed.status).toBe(200);
    gate.release();
    const reader = resumed.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    expect(await readUntil(reader, (t) => t.includes('"id":7'))).toMatch(/"waited":true/);
    await reader.cancel();
  });

  it("keeps an older revision's call stream open until its answer: that client was not primed to poll", async () => {
    const headers = await rawSession("2025-06-18");
    const res = await postWaitCall(server.url, headers, 8);
    const reader = res.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    // Closed early, the stream would end this read without the answer.
    const reading = readUntil(reader, (t) => t.includes('"id":8'));
    await sleep(POLL_AFTER_MS * 5);
    gate.release();
    const text = await reading;
    expect(text).toMatch(/"waited":true/);
    expect(text).not.toMatch(/^retry:/m);
  });
});

describe("without SSE_POLL_AFTER_MS (the default)", () => {
  it("neither primes a 2025-11-25 call's stream nor keeps its events: nobody will poll for them", async () => {
    const plain = await startTestServer({}, { tools: gate.tools });
    try {
      const headers = await rawSession("2025-11-25", plain.url);
      const res = await postWaitCall(plain.url, headers, 9);
      const reader = res.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      const reading = readUntil(reader, (t) => t.includes('"id":9'));
      await sleep(50);
      gate.release();
      const text = await reading;
      expect(text).not.toMatch(/^(id|retry):/m);
      expect(text).toMatch(/"waited":true/);
    } finally {
      await plain.close();
    }
  });
});
