import { type Bus, createApiKey, createLogger, createMemoryBus } from "@mcp-tools/core";
import { realServiceUrl, uniquePrefix } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { limitRefusals } from "../testing/metrics.js";
import { openSseStream } from "../testing/sse.js";
import {
  connectSse,
  connectStreamable,
  echo,
  initialize,
  mcpHeaders,
  messagesOf,
  openRawSession,
  rpcErrorOf,
  sleep,
  startTestServer,
  type TestServer,
} from "../testing.js";
import { createSessionQuota, quotaKeyOf } from "./session-quota.js";

const log = createLogger({ level: "silent" });

describe("session quota", () => {
  it("gives a caller up to `max` places across every process on the bus, and frees one on release", async () => {
    const bus = createMemoryBus();
    const a = createSessionQuota({ bus, log, max: 2 });
    const b = createSessionQuota({ bus, log, max: 2 });
    expect(await a.claim("addr:10.0.0.1", "s1")).toBe(true);
    expect(await b.claim("addr:10.0.0.1", "s2")).toBe(true);
    expect(await a.claim("addr:10.0.0.1", "s3")).toBe(false);
    expect(await b.claim("key:other", "s4")).toBe(true);
    b.release("s2");
    await sleep(0);
    expect(await a.claim("addr:10.0.0.1", "s3")).toBe(true);
    await bus.close();
  });

  it("keeps its places while it renews them, and lets those of a process that stopped renewing expire", async () => {
    const bus = createMemoryBus();
    const live = createSessionQuota({ bus, log, max: 2, ttlMs: 300 });
    const dead = createSessionQuota({ bus, log, max: 2, ttlMs: 300 });
    await live.claim("addr:10.0.0.1", "kept");
    await dead.claim("addr:10.0.0.1", "lost");
    // The live process's heartbeat; the dead one never renews, as a process that was killed.
    const beat = setInterval(() => void live.refresh(), 50);
    try {
      await expect.poll(() => bus.countMembers(quotaKeyOf("addr:10.0.0.1")), { timeout: 2_000 }).toBe(1);
      await sleep(600); // twice the places' TTL: the live one's is renewed
      expect(await bus.countMembers(quotaKeyOf("addr:10.0.0.1"))).toBe(1);
    } finally {
      clearInterval(beat);
      await bus.close();
    }
  });

  it("fails open, with a warning, while the bus cannot be reached", async () => {
    const bus: Bus = {
      ...createMemoryBus(),
      addMember: () => Promise.reject(new Error("connection closed")),
    };
    const warn = vi.fn();
    const quota = createSessionQuota({ bus, log: { ...log, warn, info: vi.fn() }, max: 1 });
    expect(await quota.claim("addr:10.0.0.1", "s1")).toBe(true);
    expect(await quota.claim("addr:10.0.0.1", "s2")).toBe(true);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[1]).toMatch(/not enforced/);
  });
});

const initializeAt = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/mcp`, {
    method: "POST",
    headers: { ...mcpHeaders, ...headers },
    body: JSON.stringify(initialize()),
  });

/** Asserts the answer to a caller over its session limit. */
async function expectSessionRefusal(res: Response, max: number) {
  expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
  const refusal = await rpcErrorOf(res);
  expect(refusal).toMatchObject({ status: 429, code: -32029 });
  expect(refusal.message).toMatch(new RegExp(`already has ${max} open MCP sessions`));
  expect(refusal.message).toMatch(/DELETE \/mcp/);
}

describe("MAX_SESSIONS_PER_CALLER", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MCP_AUTH: "required", MAX_SESSIONS_PER_CALLER: "2" });
  });
  afterAll(() => server.close());

  const newKey = async () =>
    (await createApiKey(server.ctx.db.db, { name: "quota", scope: { kind: "all" }, createdBy: "test" }))
      .secret;
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it("refuses a key's third session, /mcp or /sse, with 429, while its sessions and other keys carry on", async () => {
    const [limited, other] = [await newKey(), await newKey()];
    const before = await limitRefusals(server, "sessions");
    const first = await connectStreamable(server.url, "first", limited);
    const second = await connectSse(server.url, "second", limited);

    await expectSessionRefusal(await initializeAt(server.url, bearer(limited)), 2);
    const sse = await fetch(`${server.url}/sse`, { headers: bearer(limited) });
    await expectSessionRefusal(sse, 2);
    expect(await limitRefusals(server, "sessions")).toBe(before + 2);

    expect((await first.callTool({ name: "echo", arguments: { text: "still" } })).structuredContent).toEqual({
      text: "still",
    });
    expect((await second.callTool({ name: "echo", arguments: { text: "here" } })).structuredContent).toEqual({
      text: "here",
    });
    const another = await connectStreamable(server.url, "another", other);
    await another.listTools();
    await Promise.all([first.close(), second.close(), another.close()]);
  });

  it("gives a closed session's place back at once: DELETE /mcp, or the end of an /sse stream", async () => {
    const key = await newKey();
    const opened = await initializeAt(server.url, bearer(key));
    const id = opened.headers.get("mcp-session-id") ?? "";
    await opened.text();
    const { reader } = await openSseStream(server.url, bearer(key));
    await expectSessionRefusal(await initializeAt(server.url, bearer(key)), 2);

    const deleted = await fetch(`${server.url}/mcp`, {
      method: "DELETE",
      headers: { ...bearer(key), "mcp-session-id": id },
    });
    expect(deleted.status).toBe(200);
    const again = await initializeAt(server.url, bearer(key));
    expect(again.status).toBe(200);
    await again.text();

    await reader.cancel();
    await expect.poll(async () => (await initializeAt(server.url, bearer(key))).status).toBe(200);
  });
});

/** Two servers on one bus, as two replicas behind a balancer; keyless callers from 127.0.0.1. */
function acrossReplicas(env: () => Record<string, string>, sharedBus?: () => Bus) {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const options = sharedBus ? { bus: sharedBus() } : {};
    const overrides = { MAX_SESSIONS_PER_CALLER: "3", ...env() };
    [a, b] = [await startTestServer(overrides, options), await startTestServer(overrides, options)];
  });
  afterAll(async () => {
    await Promise.allSettled([a.close(), b.close()]);
  });

  it("holds the limit across both, and frees a place on one for the other", async () => {
    const onA = [await openRawSession(a.url), await openRawSession(a.url)];
    const { reader } = await openSseStream(b.url);
    await expectSessionRefusal(await initializeAt(b.url), 3);
    await expectSessionRefusal(await fetch(`${a.url}/sse`), 3);

    await fetch(`${a.url}/mcp`, { method: "DELETE", headers: { "mcp-session-id": onA[0] ?? "" } });
    const onB = await openRawSession(b.url);
    const call = await fetch(`${b.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-session-id": onB },
      body: JSON.stringify(echo(2, "on b")),
    });
    expect((await messagesOf(call))[0]).toMatchObject({ result: { structuredContent: { text: "on b" } } });
    await reader.cancel();
  });
}

describe("MAX_SESSIONS_PER_CALLER on two replicas sharing an in-process bus", { timeout: 120_000 }, () => {
  const bus = createMemoryBus();
  afterAll(() => bus.close());
  acrossReplicas(
    () => ({}),
    () => bus,
  );
});

const redisUrl = realServiceUrl("REDIS_URL");
describe.skipIf(!redisUrl)(
  "MAX_SESSIONS_PER_CALLER on two replicas sharing Redis",
  { timeout: 120_000 },
  () => {
    const prefix = uniquePrefix();
    acrossReplicas(() => ({ REDIS_URL: redisUrl ?? "", REDIS_PREFIX: prefix }));
  },
);
