import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGate, waitCall } from "./testing/gate.js";
import { limitRefusals } from "./testing/metrics.js";
import {
  echo,
  mcpHeaders,
  messagesOf,
  openRawSession,
  rpcErrorOf,
  startTestServer,
  type TestServer,
} from "./testing.js";

const gate = createGate();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MAX_STREAMS_PER_SESSION: "2" }, { tools: gate.tools });
});
afterAll(() => server.close());

const post = (session: string, message: unknown) =>
  fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: { ...mcpHeaders, "mcp-session-id": session },
    body: JSON.stringify(message),
  });

describe("MAX_STREAMS_PER_SESSION", () => {
  it("refuses a third open stream in a session with 429, and takes one again once a stream ends", async () => {
    const session = await openRawSession(server.url);
    const listening = await fetch(`${server.url}/mcp`, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
    });
    expect(listening.status).toBe(200);
    const waiting = await post(session, waitCall(1));
    expect(waiting.status).toBe(200);
    await expect.poll(() => gate.waiting).toBe(1);
    const before = await limitRefusals(server, "streams");

    const refused = await post(session, echo(2, "one stream too many"));
    expect(refused.headers.get("retry-after")).toBe("1");
    const refusal = await rpcErrorOf(refused);
    expect(refusal).toMatchObject({ status: 429, code: -32029 });
    expect(refusal.message).toMatch(/this session already has 2 open streams/);
    expect(await limitRefusals(server, "streams")).toBe(before + 1);

    // Notifications open no stream; other sessions have streams of their own.
    const notified = await post(session, { jsonrpc: "2.0", method: "notifications/roots/list_changed" });
    expect(notified.status).toBe(202);
    const other = await openRawSession(server.url);
    expect((await messagesOf(await post(other, echo(3, "other session"))))[0]).toMatchObject({
      result: { structuredContent: { text: "other session" } },
    });

    gate.release();
    expect((await messagesOf(waiting))[0]).toMatchObject({
      id: 1,
      result: { structuredContent: { waited: true } },
    });
    expect((await messagesOf(await post(session, echo(4, "room again"))))[0]).toMatchObject({
      result: { structuredContent: { text: "room again" } },
    });
    await listening.body?.cancel();
  });
});
