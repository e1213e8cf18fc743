import { afterEach, describe, expect, it } from "vitest";
import { createMemoryBus } from "../bus/memory.js";
import { createLogger } from "../log/log.js";
import { createTestContext } from "../testing/context.js";
import { realServiceUrl, uniquePrefix } from "../testing/services.js";
import { createPresence, type LocalSession, type Presence } from "./presence.js";
import { listProcesses, listSessions, sessionTotals, terminateSession } from "./read.js";
import { publicSessionId } from "./record.js";

const log = createLogger({ level: "silent" });
const open: Presence[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((presence) => presence.close()));
});

const session = (id: string, transport = "streamable-http"): LocalSession => ({
  id: publicSessionId(id),
  transport,
  principal: "anonymous",
  startedAt: Date.UTC(2026, 0, 1),
  lastActivityAt: Date.UTC(2026, 0, 1, 0, 5),
  terminable: transport !== "stdio",
});

describe("the one heartbeat of a process", () => {
  it("renews what each source keeps on the bus on every beat, and at once when the bus is restored", async () => {
    const bus = createMemoryBus();
    let restored = () => {};
    const watched = {
      ...bus,
      onRestored(listener: () => void) {
        restored = listener;
        return () => {};
      },
    };
    const presence = createPresence({ bus: watched, log, processId: "p", beatMs: 20 });
    open.push(presence);
    let renewals = 0;
    await presence.register({
      service: "mcp-sse",
      refresh: async () => {
        renewals += 1;
      },
    });
    expect(renewals).toBe(1);
    await expect.poll(() => renewals, { timeout: 2_000 }).toBeGreaterThanOrEqual(3);
    await presence.close();

    const again = createPresence({ bus: watched, log, processId: "q", beatMs: 60_000 });
    open.push(again);
    let count = 0;
    await again.register({
      service: "mcp-sse",
      refresh: async () => {
        count += 1;
      },
    });
    restored();
    await expect.poll(() => count, { timeout: 2_000 }).toBe(2);
  });
});

describe("presence on one shared bus", () => {
  it("lets two processes see each other, their services and their session counts", async () => {
    const bus = createMemoryBus();
    const a = createPresence({ bus, log, processId: "a" });
    const b = createPresence({ bus, log, processId: "b" });
    open.push(a, b);
    await a.register({ service: "mcp-sse", sessions: () => [session("s1"), session("s2", "sse")] });
    await b.register({ service: "mcp-stdio", sessions: () => [session("s3", "stdio")] });
    await b.register({ service: "admin" });
    const processes = await listProcesses(bus);
    expect(processes.map((p) => [p.id, p.services])).toEqual([
      ["a", ["mcp-sse"]],
      ["b", ["mcp-stdio", "admin"]],
    ]);
    expect(sessionTotals(processes)).toEqual({ "streamable-http": 1, sse: 1, stdio: 1 });
    const sessions = await listSessions(bus);
    expect(sessions.map((s) => s.id).sort()).toEqual(["s1", "s2", "s3"].map(publicSessionId).sort());
    expect(JSON.stringify(processes)).not.toContain('"s1"');
  });

  it("forgets a process that stops beating once its record expires, and one that leaves at once", async () => {
    let clock = Date.UTC(2026, 0, 1);
    const bus = createMemoryBus({ now: () => clock });
    // Beats a minute apart, so only the beats this test makes happen while it runs.
    const options = { bus, log, beatMs: 60_000, now: () => clock };
    const a = createPresence({ ...options, processId: "a" });
    const b = createPresence({ ...options, processId: "b" });
    const c = createPresence({ ...options, processId: "c" });
    open.push(a, b, c);
    await a.register({ service: "mcp-sse" });
    const leave = await b.register({ service: "mcp-sse" });
    await c.register({ service: "admin" });
    await leave();
    expect((await listProcesses(bus)).map((p) => p.id)).toEqual(["a", "c"]);
    clock += 100_000;
    await c.beat();
    clock += 100_000;
    // a has not beaten for 200 s, past its lifetime of three beats: gone, and pruned from the index.
    await c.beat();
    expect((await listProcesses(bus)).map((p) => p.id)).toEqual(["c"]);
  });

  it("closes a session on a terminate request to whichever process holds it", async () => {
    const ctx = await createTestContext();
    try {
      const holder = createPresence({ bus: ctx.bus, log, processId: "holder" });
      open.push(holder);
      const live = new Map([[publicSessionId("secret"), session("secret")]]);
      await holder.register({
        service: "mcp-sse",
        sessions: () => [...live.values()],
        terminate: async (id) => live.delete(id),
      });
      const id = publicSessionId("secret");
      await terminateSession(ctx, "tester", id);
      await expect.poll(async () => (await listSessions(ctx.bus)).length).toBe(0);
      await expect(terminateSession(ctx, "tester", id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await ctx.close();
    }
  });

  it("refuses to terminate a stdio session", async () => {
    const ctx = await createTestContext();
    try {
      await ctx.presence.register({ service: "mcp-stdio", sessions: () => [session("local", "stdio")] });
      await expect(terminateSession(ctx, "tester", publicSessionId("local"))).rejects.toMatchObject({
        code: "CONFLICT",
      });
    } finally {
      await ctx.close();
    }
  });
});

const redisUrl = realServiceUrl("REDIS_URL");

describe.skipIf(!redisUrl)("presence over Redis", () => {
  it("lets two contexts on one Redis see each other's process", async () => {
    const env = { REDIS_URL: redisUrl ?? "", REDIS_PREFIX: uniquePrefix() };
    const [one, two] = await Promise.all([createTestContext(env), createTestContext(env)]);
    try {
      await one.presence.register({ service: "mcp-sse", sessions: () => [session("r1")] });
      await two.presence.register({ service: "admin" });
      const ids = (await listProcesses(one.bus)).map((p) => p.id).sort();
      expect(ids).toEqual([one.presence.processId, two.presence.processId].sort());
      expect(sessionTotals(await listProcesses(two.bus))).toEqual({ "streamable-http": 1 });
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
