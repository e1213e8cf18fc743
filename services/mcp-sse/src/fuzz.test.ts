import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  echo,
  initialize,
  mcpHeaders,
  messagesOf,
  openRawSession,
  readUntil,
  startTestServer,
  type TestServer,
} from "./testing.js";

// Generated malformed requests against /mcp and /sse + /messages: whatever a client sends, the
// answer is never a 5xx or an "Internal error", and the server goes on serving good requests.
const RUNS = 250;
const SEED = 20_261_205;

let server: TestServer;
let session: string;
let legacy: { endpoint: string; reader: ReadableStreamDefaultReader<Uint8Array>; seen: string };
beforeAll(async () => {
  server = await startTestServer({ MAX_BODY_BYTES: String(256 * 1024) });
  session = await openRawSession(server.url);
  legacy = await openLegacySession();
});
afterAll(async () => {
  await legacy.reader.cancel().catch(() => undefined);
  await server.close();
});

async function openLegacySession() {
  const res = await fetch(`${server.url}/sse`);
  if (!res.body) throw new Error("no stream");
  const reader = res.body.getReader();
  const first = await readUntil(reader, (text) => text.includes("\n\n"));
  const endpoint = `${server.url}${/data: (.+)\n/.exec(first)?.[1] ?? ""}`;
  const state = { endpoint, reader, seen: "" };
  // Everything the stream carries, read as it comes, so replies to fuzzed messages are checked too.
  void (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      state.seen += decoder.decode(chunk.value, { stream: true });
    }
  })();
  return state;
}

// Strings a careless parser or an audit writer chokes on.
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("\ud800", "a\udc00b", "\u0000", "key\u0000", "😀".repeat(600).slice(1), "x".repeat(20_000)),
);
const json = fc.jsonValue({ maxDepth: 4 });
const deep = fc
  .integer({ min: 50, max: 300 })
  .map((depth) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`));
const anyValue = fc.oneof(
  json,
  nasty,
  deep,
  fc.dictionary(nasty, json, { maxKeys: 5 }),
  fc.array(json, { maxLength: 5 }),
);
const knownMethods = fc.constantFrom(
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "notifications/initialized",
  "notifications/cancelled",
  "resources/list",
  "prompts/get",
  "logging/setLevel",
  "completion/complete",
);
const toolCall = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom("echo", "note_save", "note_search", "note_get", "note_list", "note_delete"),
      nasty,
    ),
    arguments: anyValue,
    _meta: anyValue,
  },
  { requiredKeys: [] },
);
const message = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), nasty),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.constant(null), fc.double(), json),
    method: fc.oneof(knownMethods, nasty),
    params: fc.oneof(toolCall, anyValue),
    result: anyValue,
    error: anyValue,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 4, arbitrary: message.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.array(message, { maxLength: 6 }).map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v) ?? "null") },
  { weight: 1, arbitrary: nasty },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
);
const header = (values: string[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
const headers = fc.record({
  accept: header([
    "application/json, text/event-stream",
    "application/json",
    "text/event-stream",
    "*/*",
    "x/y",
  ]),
  "content-type": header([
    "application/json",
    "text/plain",
    "application/json; charset=utf-16",
    "multipart/form-data",
  ]),
  "mcp-protocol-version": header(["2025-11-25", "2025-03-26", "2024-11-05", "2026-07-28", "1.0", "x"]),
  "mcp-session-id": header(["nope", "x".repeat(5_000), "SESSION"]),
  "last-event-id": header(["0", "nope", "_GET_stream_1"]),
});
const anything = fc.record({
  method: fc.constantFrom("POST", "POST", "POST", "GET", "DELETE", "PUT", "OPTIONS"),
  path: fc.constantFrom(
    "/mcp",
    "/mcp",
    "/messages",
    "/messages?sessionId=nope",
    "LEGACY",
    "/sse",
    "/mcp?x=%00",
  ),
  headers,
  body,
});
// A well-formed envelope to a live session with malformed params: what reaches the MCP server itself.
const wellAddressed = fc.record({
  method: fc.constant("POST"),
  path: fc.constantFrom("/mcp", "LEGACY"),
  headers: fc.constant({ ...mcpHeaders, "mcp-session-id": "SESSION" }),
  body: fc
    .record({ id: fc.integer(), method: knownMethods, params: fc.oneof(toolCall, anyValue) })
    .map((m) => JSON.stringify({ jsonrpc: "2.0", ...m })),
});
const request = fc.oneof(anything, wellAddressed);

type Case = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send({ method, path, headers: given, body: payload }: Case): Promise<Response> {
  const url = path === "LEGACY" ? legacy.endpoint : `${server.url}${path}`;
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) sent[name] = value === "SESSION" ? session : value;
  }
  const withBody = method === "POST" || method === "PUT" || method === "DELETE";
  return fetch(url, {
    method,
    headers: sent,
    body: withBody ? payload : undefined,
    signal: AbortSignal.timeout(10_000),
  });
}

/** The status and the JSON-RPC error codes of an answer (JSON, or a POST's event stream, which ends). */
async function answerOf(res: Response) {
  const text = await res.text();
  const codes = [...text.matchAll(/"code":(-?\d+)/g)].map((match) => Number(match[1]));
  return { status: res.status, codes };
}

describe("generated malformed requests", () => {
  it(`answers ${RUNS} of them without a 5xx or an internal error, and keeps serving`, async () => {
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const res = await send(input);
        // A GET that opened a stream (a standalone or legacy one) never ends by itself: leave it.
        if (input.method === "GET" && res.status === 200) {
          await res.body?.cancel();
          return true;
        }
        const { status, codes } = await answerOf(res);
        if (status >= 500 || codes.includes(-32603))
          failures.push(`${status} ${codes} for ${JSON.stringify(input).slice(0, 300)}`);
        return status < 500 && !codes.includes(-32603);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(failures).toEqual([]);
    // Replies to the messages posted on the legacy session travel on its stream.
    expect(legacy.seen).not.toContain('"code":-32603');
  }, 180_000);

  it("answers a good request on a new session, an old one and the legacy stream afterwards", async () => {
    const fresh = await openRawSession(server.url);
    for (const id of [fresh, session]) {
      const res = await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, "mcp-session-id": id },
        body: JSON.stringify(echo(99, "after the storm")),
      });
      // The old session may have been ended by a fuzzed DELETE: then 404, and the new one answers.
      if (id === session && res.status === 404) continue;
      expect((await messagesOf(res))[0]).toMatchObject({
        result: { structuredContent: { text: "after the storm" } },
      });
    }
    const posted = await fetch(legacy.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(initialize("legacy-after")),
    });
    expect(posted.status).toBe(202);
    const deadline = Date.now() + 5_000;
    while (!legacy.seen.includes('"id":"legacy-after"') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(legacy.seen).toContain('"id":"legacy-after"');
  });
});
