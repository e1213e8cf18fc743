import { createApiKey } from "@mcp-tools/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInFlight } from "./in-flight.js";
import { createGate, waitCall } from "./testing/gate.js";
import { limitRefusals } from "./testing/metrics.js";
import { openSseStream } from "./testing/sse.js";
import {
  connectStreamable,
  echo,
  initialize,
  mcpHeaders,
  messagesOf,
  readUntil,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

const ping = (id: number | string) => ({ jsonrpc: "2.0" as const, id, method: "ping" });
const cancel = (requestId: number) => ({
  jsonrpc: "2.0" as const,
  method: "notifications/cancelled",
  params: { requestId },
});

describe("requests in flight", () => {
  it("admits a caller's requests from all its sessions up to the limit, whole bodies or nothing", () => {
    const inFlight = createInFlight(3);
    const a = inFlight.track("key:a");
    const b = inFlight.track("key:a");
    const other = inFlight.track("key:other");
    expect(a.admit([ping(1), ping(2)])).toBe(true);
    expect(b.admit([ping(1), ping(2)])).toBe(false);
    expect(inFlight.count("key:a")).toBe(2);
    expect(b.admit(ping(1))).toBe(true);
    expect(a.admit(ping(3))).toBe(false);
    expect(other.admit([ping(1), ping(2), ping(3)])).toBe(true);
    expect(a.admit({ jsonrpc: "2.0", method: "notifications/initialized" })).toBe(true);
  });

  it("frees a place for each answer, cancellation, withdrawn body and ended session", () => {
    const inFlight = createInFlight(10);
    const calls = inFlight.track("addr:10.0.0.1");
    calls.admit([ping(1), ping(2), ping(2), ping("x"), ping(5)]);
    expect(inFlight.count("addr:10.0.0.1")).toBe(5);
    calls.settle(1);
    calls.settle(1); // answered once only
    calls.settle(2);
    calls.settle(null);
    expect(inFlight.count("addr:10.0.0.1")).toBe(3);
    calls.admit(cancel(2));
    expect(inFlight.count("addr:10.0.0.1")).toBe(2);
    calls.withdraw(ping(5));
    expect(inFlight.count("addr:10.0.0.1")).toBe(1);
    calls.end();
    expect(inFlight.count("addr:10.0.0.1")).toBe(0);
    calls.settle("x");
    expect(inFlight.count("addr:10.0.0.1")).toBe(0);
  });
});

describe("MAX_IN_FLIGHT_CALLS", () => {
  const gate = createGate();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(
      { MCP_AUTH: "required", MAX_IN_FLIGHT_CALLS: "3", MAX_BATCH_MESSAGES: "3" },
      { tools: gate.tools },
    );
  });
  afterAll(() => server.close());

  const newKey = async () =>
    (await createApiKey(server.ctx.db.db, { name: "calls", scope: { kind: "all" }, createdBy: "test" }))
      .secret;

  it("refuses a caller's fourth call in flight with 429 on /mcp and /messages, while other callers carry on", async () => {
    const [key, otherKey] = [await newKey(), await newKey()];
    const auth = { authorization: `Bearer ${key}` };
    const open = async () => {
      const res = await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, ...auth },
        body: JSON.stringify(initialize()),
      });
      await res.text();
      return res.headers.get("mcp-session-id") ?? "";
    };
    const post = (session: string, message: unknown) =>
      fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, ...auth, "mcp-session-id": session },
        body: JSON.stringify(message),
      });
    const [first, second] = [await open(), await open()];
    const waiting = [await post(first, [waitCall(1), waitCall(2)]), await post(second, waitCall(1))];
    await expect.poll(() => gate.waiting).toBe(3);
    const before = await limitRefusals(server, "in_flight");

    const refused = await post(first, echo(3, "one too many"));
    expect(refused.headers.get("retry-after")).toBe("1");
    const refusal = await rpcErrorOf(refused);
    expect(refusal).toMatchObject({ status: 429, code: -32029 });
    expect(refusal.message).toMatch(/already has 3 requests awaiting their answers/);

    const { reader, endpoint } = await openSseStream(server.url, auth);
    const legacy = (message: unknown) =>
      fetch(`${server.url}${endpoint}`, {
        method: "POST",
        headers: { ...mcpHeaders, ...auth },
        body: JSON.stringify(message),
      });
    expect(await rpcErrorOf(await legacy(initialize(1)))).toMatchObject({ status: 429, code: -32029 });
    expect(await limitRefusals(server, "in_flight")).toBe(before + 2);

    const other = await connectStreamable(server.url, "other", otherKey);
    expect(
      (await other.callTool({ name: "echo", arguments: { text: "meanwhile" } })).structuredContent,
    ).toEqual({
      text: "meanwhile",
    });
    await other.close();

    gate.release();
    for (const res of waiting)
      for (const message of await messagesOf(res)) expect(message).toHaveProperty("result");
    expect((await legacy(initialize(1))).status).toBe(202);
    expect(await readUntil(reader, (text) => text.includes('"id":1'))).toContain("serverInfo");
    await reader.cancel();
  });

  it("frees the place of a call the client cancels", async () => {
    const auth = { authorization: `Bearer ${await newKey()}` };
    const session = (
      await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, ...auth },
        body: JSON.stringify(initialize()),
      })
    ).headers.get("mcp-session-id");
    const post = (message: unknown) =>
      fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...mcpHeaders, ...auth, "mcp-session-id": session ?? "" },
        body: JSON.stringify(message),
      });
    const waiting = await Promise.all([post(waitCall(1)), post(waitCall(2)), post(waitCall(3))]);
    await expect.poll(() => gate.waiting).toBe(3);
    expect((await post(echo(4, "full"))).status).toBe(429);
    expect((await post(cancel(2))).status).toBe(202);
    expect((await messagesOf(await post(echo(5, "room"))))[0]).toMatchObject({
      result: { structuredContent: { text: "room" } },
    });
    gate.release();
    await Promise.all(waiting.map((res) => res.body?.cancel()));
  });
});
