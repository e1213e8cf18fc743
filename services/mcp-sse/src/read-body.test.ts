import { JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isJsonRpcMessage } from "./read-body.js";
import { limitRefusals } from "./testing/metrics.js";
import { openSseStream } from "./testing/sse.js";
import {
  echo,
  initialize,
  mcpHeaders,
  messagesOf,
  openRawSession,
  readUntil,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

const batchOf = (count: number, first = 1) =>
  JSON.stringify(Array.from({ length: count }, (_, i) => echo(first + i, `message ${first + i}`)));

describe("JSON-RPC batch size", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("refuses a 5,000-message batch on /messages with 400 / -32600, and takes one of 100", async () => {
    const { reader, endpoint } = await openSseStream(server.url);
    const post = (body: string) =>
      fetch(`${server.url}${endpoint}`, { method: "POST", headers: mcpHeaders, body });
    expect((await post(JSON.stringify(initialize(0)))).status).toBe(202);
    const before = await limitRefusals(server, "batch");

    expect(await rpcErrorOf(await post(batchOf(5_000)))).toEqual({
      status: 400,
      code: -32600,
      message: "Invalid Request: Batch must not exceed 100 messages; send the messages in smaller batches",
    });
    expect(await limitRefusals(server, "batch")).toBe(before + 1);

    expect((await post(batchOf(100))).status).toBe(202);
    const text = await readUntil(reader, (t) => t.includes('"id":100}'));
    expect(text).toContain('"text":"message 100"');
    await reader.cancel();
  });

  it("refuses the same batch on /mcp with the same answer", async () => {
    const session = await openRawSession(server.url);
    const res = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": session },
      body: batchOf(101),
    });
    expect(await rpcErrorOf(res)).toEqual({
      status: 400,
      code: -32600,
      message: "Invalid Request: Batch must not exceed 100 messages; send the messages in smaller batches",
    });
  });
});

describe("MAX_BATCH_MESSAGES", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MAX_BATCH_MESSAGES: "10" });
  });
  afterAll(() => server.close());

  it("lowers the batch limit on /mcp and /messages alike", async () => {
    const session = await openRawSession(server.url);
    const postMcp = (body: string) =>
      fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, "mcp-session-id": session },
        body,
      });
    expect(await rpcErrorOf(await postMcp(batchOf(11)))).toMatchObject({ status: 400, code: -32600 });
    expect(await messagesOf(await postMcp(batchOf(10)))).toHaveLength(10);

    const { reader, endpoint } = await openSseStream(server.url);
    const res = await fetch(`${server.url}${endpoint}`, {
      method: "POST",
      headers: mcpHeaders,
      body: batchOf(11),
    });
    expect(await rpcErrorOf(res)).toMatchObject({
      status: 400,
      message: expect.stringContaining("must not exceed 10 messages"),
    });
    await reader.cancel();
  });
});

describe("the JSON-RPC shape check", () => {
  it("agrees with the SDK's JSONRPCMessageSchema, which it stands in for on every message", () => {
    const message = fc.record(
      {
        jsonrpc: fc.constantFrom("2.0", "1.0"),
        id: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)),
        method: fc.oneof(fc.string(), fc.integer()),
        params: fc.oneof(
          fc.object(),
          fc.array(fc.integer()),
          fc.record({ _meta: fc.oneof(fc.object(), fc.integer()) }),
        ),
        result: fc.oneof(fc.object(), fc.integer()),
        error: fc.oneof(
          fc.record({
            code: fc.oneof(fc.integer(), fc.double()),
            message: fc.oneof(fc.string(), fc.integer()),
          }),
          fc.integer(),
        ),
        extra: fc.integer(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        message,
        (value) => isJsonRpcMessage(value) === JSONRPCMessageSchema.safeParse(value).success,
      ),
      {
        numRuns: 5_000,
        // Found by an earlier run: an integer past 2^53 is no JSON-RPC error code to the SDK.
        examples: [[{ jsonrpc: "2.0", error: { code: 2 ** 53, message: "" } }]],
      },
    );
  });
});
