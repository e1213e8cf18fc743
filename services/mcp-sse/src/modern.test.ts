import { updateToolSettings } from "@mcp-tools/core";
import { decideToolVersion, proposeHttpTool } from "@mcp-tools/core/catalog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGate } from "./testing/gate.js";
import { MODERN, modernEcho, modernRequest, postModern } from "./testing/modern.js";
import { openRawSession, readUntil, rpcErrorOf, startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

let calls = 0;
/** After every refusal the server must still answer a well-formed modern call. */
async function expectStillServing() {
  calls += 1;
  const res = await postModern(server.url, modernEcho(calls, `still here ${calls}`));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    id: calls,
    result: { resultType: "complete", structuredContent: { text: `still here ${calls}` } },
  });
}

describe("MCP 2026-07-28 on /mcp", () => {
  it("answers server/discover with the versions, capabilities and caching hints", async () => {
    const res = await postModern(server.url, modernRequest("d", "server/discover"));
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    const { result } = (await res.json()) as { result: Record<string, unknown> };
    expect(result).toMatchObject({
      resultType: "complete",
      supportedVersions: expect.arrayContaining([MODERN, "2025-11-25", "2025-03-26"]),
      capabilities: { tools: { listChanged: true } },
      cacheScope: "public",
      _meta: { "io.modelcontextprotocol/serverInfo": { name: "mcp-tools" } },
    });
    expect(result.ttlMs).toBeGreaterThan(0);
  });

  it("marks tools/list private: it depends on the caller's key", async () => {
    const res = await postModern(server.url, modernRequest(1, "tools/list"));
    const { result } = (await res.json()) as { result: { ttlMs: number; tools: Array<{ name: string }> } };
    expect(result).toMatchObject({ resultType: "complete", cacheScope: "private" });
    expect(Number.isInteger(result.ttlMs)).toBe(true);
    expect(result.tools.map((tool) => tool.name)).toContain("echo");
  });

  it("ignores a 2025 session id on a modern request, and mints none", async () => {
    const session = await openRawSession(server.url);
    const res = await postModern(server.url, modernEcho(2, "hi"), { "mcp-session-id": session });
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    expect(await res.json()).toMatchObject({ id: 2, result: { structuredContent: { text: "hi" } } });
  });

  it("answers ping with 404 / -32601: 2026-07-28 removed it", async () => {
    const res = await postModern(server.url, modernRequest(3, "ping"));
    expect(await rpcErrorOf(res)).toMatchObject({ status: 404, code: -32601 });
  });

  it("answers an unknown method with 404 / -32601", async () => {
    const res = await postModern(server.url, modernRequest(3, "resources/frobnicate"));
    expect(await rpcErrorOf(res)).toMatchObject({ status: 404, code: -32601 });
    await expectStillServing();
  });
});

describe("MCP 2026-07-28 bad input", () => {
  const refusals: Array<[string, () => Promise<Response>, number, number, RegExp]> = [
    [
      "a missing Mcp-Method",
      () => postModern(server.url, modernEcho(1, "x"), { "mcp-method": undefined }),
      400,
      -32020,
      /Mcp-Method/,
    ],
    [
      "a mismatched Mcp-Method",
      () => postModern(server.url, modernEcho(1, "x"), { "mcp-method": "tools/list" }),
      400,
      -32020,
      /method/,
    ],
    [
      "a missing Mcp-Name",
      () => postModern(server.url, modernEcho(1, "x"), { "mcp-name": undefined }),
      400,
      -32020,
      /Mcp-Name/,
    ],
    [
      "a mismatched Mcp-Name",
      () => postModern(server.url, modernEcho(1, "x"), { "mcp-name": "note_delete" }),
      400,
      -32020,
      /note_delete.*echo/,
    ],
    [
      "a Base64 Mcp-Name that is not Base64",
      () => postModern(server.url, modernEcho(1, "x"), { "mcp-name": "=?base64?***?=" }),
      400,
      -32020,
      /Base64/,
    ],
    [
      "a missing MCP-Protocol-Version",
      () => postModern(server.url, modernEcho(1, "x"), { "mcp-protocol-version": undefined }),
      400,
      -32020,
      /MCP-Protocol-Version/,
    ],
    [
      "a version header that disagrees with _meta",
      () => postModern(server.url, modernEcho(1, "x"), { "mcp-protocol-version": "2025-11-25" }),
      400,
      -32020,
      /2025-11-25/,
    ],
    [
      "an unknown version in _meta",
      () => postModern(server.url, modernRequest(1, "tools/list", {}, "2099-01-01")),
      400,
      -32022,
      /Unsupported protocol version/,
    ],
    [
      "an envelope without its capabilities",
      () =>
        postModern(
          server.url,
          {
            ...modernEcho(1, "x"),
            body: {
              jsonrpc: "2.0",
              id: 1,
              method: "tools/list",
              params: { _meta: { "io.modelcontextprotocol/protocolVersion": MODERN } },
            },
          },
          { "mcp-method": "tools/list", "mcp-name": undefined },
        ),
      400,
      -32602,
      /clientCapabilities/,
    ],
    [
      "tools/call without a name",
      () => postModern(server.url, modernRequest(1, "tools/call", { arguments: {} })),
      200,
      -32602,
      /name/,
    ],
  ];

  it.each(refusals)(
    "refuses %s with the spec's error, and keeps serving",
    async (_, send, status, code, message) => {
      const answer = await rpcErrorOf(await send());
      expect(answer).toMatchObject({ status, code });
      expect(answer.message).toMatch(message);
      await expectStillServing();
    },
  );

  it("lists the supported versions when refusing an unknown one", async () => {
    const res = await postModern(server.url, modernRequest(9, "ping", {}, "2099-01-01"));
    expect(await res.json()).toMatchObject({
      id: 9,
      error: { code: -32022, data: { supported: expect.arrayContaining([MODERN]), requested: "2099-01-01" } },
    });
  });

  const noteGet = (id: string) => modernRequest(7, "tools/call", { name: "note_get", arguments: { id } });
  const someId = "0b5a4a4e-5f0e-4c55-9d2a-4b7e2f4c1a11";

  it("checks the Mcp-Param-Note-Id header note_get's id is mirrored into", async () => {
    const missing = await rpcErrorOf(await postModern(server.url, noteGet(someId)));
    expect(missing).toMatchObject({ status: 400, code: -32020 });
    expect(missing.message).toMatch(/mcp-param-note-id header is required/);
    const other = "1c6b5b5f-6a1f-4d66-8e3b-5c8f3d5d2b22";
    const wrong = await postModern(server.url, noteGet(someId), { "mcp-param-note-id": other });
    expect(await rpcErrorOf(wrong)).toMatchObject({ status: 400, code: -32020 });
    await expectStillServing();
    const right = await postModern(server.url, noteGet(someId), { "mcp-param-note-id": someId });
    // Headers agree: the call runs, and finds no such note.
    expect(await right.json()).toMatchObject({ id: 7, result: { isError: true } });
  });

  it("accepts a Base64-encoded Mcp-Name that matches the body", async () => {
    const res = await postModern(server.url, modernEcho(4, "b64"), { "mcp-name": "=?base64?ZWNobw==?=" });
    expect(await res.json()).toMatchObject({ id: 4, result: { structuredContent: { text: "b64" } } });
  });
});

describe("subscriptions/listen", () => {
  it("acknowledges, then streams tools/list_changed within 1 s of a tool being disabled", async () => {
    const listen = modernRequest("sub-1", "subscriptions/listen", {
      notifications: { toolsListChanged: true, resourcesListChanged: true },
    });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: listen.headers,
      body: JSON.stringify(listen.body),
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no stream");
    const acknowledged = await readUntil(reader, (text) => text.includes("acknowledged"));
    const ack = JSON.parse(acknowledged.split("data: ")[1] ?? "");
    // Only what this server honours is acknowledged: it does not watch its resource list.
    expect(ack).toMatchObject({
      method: "notifications/subscriptions/acknowledged",
      params: {
        _meta: { "io.modelcontextprotocol/subscriptionId": "sub-1" },
        notifications: { toolsListChanged: true },
      },
    });
    expect(ack.params.notifications.resourcesListChanged).toBeUndefined();

    const changed = Date.now();
    await updateToolSettings(server.ctx, "note_delete", { enabled: false }, "alice");
    const text = await readUntil(reader, (got) => got.includes("list_changed"), 1_000);
    expect(Date.now() - changed).toBeLessThan(1_000);
    expect(text).toContain('"io.modelcontextprotocol/subscriptionId":"sub-1"');
    const list = (await (await postModern(server.url, modernRequest(5, "tools/list"))).json()) as {
      result: { tools: Array<{ name: string }> };
    };
    expect(list.result.tools.map((tool) => tool.name)).not.toContain("note_delete");
    await updateToolSettings(server.ctx, "note_delete", { enabled: true }, "alice");
    controller.abort();
  });
});

describe("subscriptions/listen and the tool catalog", () => {
  it("streams tools/list_changed within 1 s of a new tool's approval, and not at its proposal", async () => {
    const listen = modernRequest("sub-2", "subscriptions/listen", {
      notifications: { toolsListChanged: true },
    });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: listen.headers,
      body: JSON.stringify(listen.body),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no stream");
    await readUntil(reader, (text) => text.includes("acknowledged"));
    const names = async () =>
      (
        (await (await postModern(server.url, modernRequest(6, "tools/list"))).json()) as {
          result: { tools: Array<{ name: string }> };
        }
      ).result.tools.map((tool) => tool.name);
    const version = await proposeHttpTool(
      server.ctx,
      {
        name: "status_get",
        title: "Status",
        description: "The status page",
        inputSchema: { type: "object" },
        request: { method: "GET", url: "https://status.example.com/api" },
      },
      "alice",
    );
    expect(await names()).not.toContain("status_get");
    const approved = Date.now();
    await decideToolVersion(server.ctx, version.id, "approve", "bob");
    await readUntil(reader, (got) => got.includes("list_changed"), 1_000);
    expect(Date.now() - approved).toBeLessThan(1_000);
    expect(await names()).toContain("status_get");
    controller.abort();
  });
});

describe("limits per caller in 2026-07-28", () => {
  it("counts a listen stream as one of the caller's session places: past the limit, 429 with this revision's code", async () => {
    const limited = await startTestServer({ MAX_SESSIONS_PER_CALLER: "1" });
    const open = new AbortController();
    try {
      const listen = modernRequest("l1", "subscriptions/listen", {
        notifications: { toolsListChanged: true },
      });
      const first = await fetch(`${limited.url}/mcp`, {
        method: "POST",
        headers: listen.headers,
        body: JSON.stringify(listen.body),
        signal: open.signal,
      });
      expect(first.status).toBe(200);
      const second = await postModern(limited.url, listen);
      const refusal = await rpcErrorOf(second);
      expect(refusal).toMatchObject({ status: 429, code: -31029 });
      expect(refusal.message).toMatch(/listen stream/);
      expect(second.headers.get("retry-after")).not.toBeNull();
      // Calls are not places: they go on being answered.
      const call = await postModern(limited.url, modernEcho(1, "still"));
      expect(call.status).toBe(200);
    } finally {
      open.abort();
      await limited.close();
    }
  });
});

describe("cancellation in 2026-07-28", () => {
  it("cancels a call whose client closes its connection, and keeps serving that client's others", async () => {
    const gate = createGate();
    const cancellable = await startTestServer({}, { tools: gate.tools });
    try {
      const call = modernRequest(1, "tools/call", { name: "wait", arguments: {} });
      const controller = new AbortController();
      const answered = fetch(`${cancellable.url}/mcp`, {
        method: "POST",
        headers: call.headers,
        body: JSON.stringify(call.body),
        signal: controller.signal,
      }).catch(() => "closed");
      await expect.poll(() => gate.waiting).toBe(1);
      controller.abort();
      expect(await answered).toBe("closed");
      // The tool saw its signal abort: it stopped waiting without the gate opening.
      await expect.poll(() => gate.waiting, { timeout: 2_000 }).toBe(0);
      const next = await postModern(cancellable.url, modernEcho(2, "after"));
      expect(await next.json()).toMatchObject({ id: 2, result: { structuredContent: { text: "after" } } });
    } finally {
      await cancellable.close();
    }
  });
});
