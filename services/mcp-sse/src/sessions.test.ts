import { createMetrics } from "@mcp-tools/core";
import { describe, expect, it, vi } from "vitest";
import { createSessionRegistry, generateSessionId, type Session, type SessionRegistry } from "./sessions.js";

function fakeSession(registry: SessionRegistry, id: string, kind: Session["kind"] = "streamable-http") {
  const close = vi.fn(async () => registry.remove(id));
  // Only the registry's own fields matter here; the transport is never touched.
  const session = { id, kind, lastSeen: 0, openStreams: 0, close, transport: {} } as unknown as Session;
  return { session, close };
}

const gauge = async (metrics: ReturnType<typeof createMetrics>, transport: string) =>
  (await metrics.sessionsActive.get()).values.find((v) => v.labels.transport === transport)?.value ?? 0;

describe("session registry", () => {
  it("finds a session by id and marks it used", () => {
    let now = 1_000;
    const registry = createSessionRegistry({ idleTimeoutMs: 100, now: () => now });
    const { session } = fakeSession(registry, "a");
    registry.add(session);
    now = 1_050;
    expect(registry.use("a")).toBe(session);
    expect(session.lastSeen).toBe(1_050);
    expect(registry.use("b")).toBeUndefined();
    void registry.closeAll();
  });

  it("lists its sessions with start and last use, and closes one by id", async () => {
    let now = 1_000;
    const registry = createSessionRegistry({ idleTimeoutMs: 60_000, now: () => now });
    const first = fakeSession(registry, "first");
    const second = fakeSession(registry, "second", "sse");
    registry.add(first.session);
    now = 2_000;
    registry.add(second.session);
    now = 3_000;
    registry.use("first");
    expect(registry.list()).toEqual([
      { id: "first", kind: "streamable-http", principalId: undefined, startedAt: 1_000, lastSeen: 3_000 },
      { id: "second", kind: "sse", principalId: undefined, startedAt: 2_000, lastSeen: 2_000 },
    ]);
    expect(await registry.close("first")).toBe(true);
    expect(first.close).toHaveBeenCalledOnce();
    expect(await registry.close("first")).toBe(false);
    expect(registry.list().map((session) => session.id)).toEqual(["second"]);
    await registry.closeAll();
  });

  it("sweeps sessions idle past the timeout, sparing recent ones and ones with an open stream", async () => {
    let now = 0;
    const registry = createSessionRegistry({ idleTimeoutMs: 100, now: () => now, sweepIntervalMs: 60_000 });
    const idle = fakeSession(registry, "idle");
    const recent = fakeSession(registry, "recent");
    const streaming = fakeSession(registry, "streaming");
    for (const { session } of [idle, recent, streaming]) registry.add(session);
    streaming.session.openStreams = 1;
    now = 150;
    registry.use("recent");
    now = 200;
    expect(await registry.sweep()).toBe(1);
    expect(idle.close).toHaveBeenCalledOnce();
    expect(recent.close).not.toHaveBeenCalled();
    expect(streaming.close).not.toHaveBeenCalled();
    expect(registry.use("idle")).toBeUndefined();
    expect(registry.size).toBe(2);
    await registry.closeAll();
  });

  it("sweeps on its own timer", async () => {
    vi.useFakeTimers();
    try {
      const registry = createSessionRegistry({ idleTimeoutMs: 1_000, now: () => Date.now() });
      const { session, close } = fakeSession(registry, "a");
      session.lastSeen = Date.now();
      registry.add(session);
      await vi.advanceTimersByTimeAsync(999);
      expect(close).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(500);
      expect(close).toHaveBeenCalledOnce();
      expect(registry.size).toBe(0);
      expect(vi.getTimerCount()).toBe(0); // no sessions, no timer
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps mcp_sessions_active{transport} in step, removing each session once", async () => {
    const metrics = createMetrics();
    const registry = createSessionRegistry({ idleTimeoutMs: 100, metrics });
    registry.add(fakeSession(registry, "a").session);
    registry.add(fakeSession(registry, "b", "sse").session);
    registry.add(fakeSession(registry, "c", "sse").session);
    expect(await gauge(metrics, "streamable-http")).toBe(1);
    expect(await gauge(metrics, "sse")).toBe(2);
    registry.remove("b");
    registry.remove("b");
    expect(await gauge(metrics, "sse")).toBe(1);
    await registry.closeAll();
    expect(await gauge(metrics, "sse")).toBe(0);
    expect(await gauge(metrics, "streamable-http")).toBe(0);
  });

  it("closeAll closes every session, even one whose close fails, and stops accepting", async () => {
    const registry = createSessionRegistry({ idleTimeoutMs: 100 });
    const good = fakeSession(registry, "good");
    const bad = fakeSession(registry, "bad");
    bad.close.mockRejectedValueOnce(new Error("stuck"));
    registry.add(good.session);
    registry.add(bad.session);
    expect(registry.accepting).toBe(true);
    await registry.closeAll();
    expect(good.close).toHaveBeenCalledOnce();
    expect(bad.close).toHaveBeenCalledOnce();
    expect(registry.size).toBe(0);
    expect(registry.accepting).toBe(false);
    const late = fakeSession(registry, "late");
    registry.add(late.session);
    expect(late.close).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(registry.size).toBe(0));
  });
});

describe("session registry and the directory", () => {
  it("claims each session it adds, releases it on removal, and withdraws all when it stops accepting", async () => {
    const claim = vi.fn(async (_session: { id: string }) => {});
    const release = vi.fn();
    const registry = createSessionRegistry({ idleTimeoutMs: 60_000, directory: { claim, release } });
    const a = fakeSession(registry, "a");
    const b = fakeSession(registry, "b", "sse");
    registry.add(a.session);
    registry.add(b.session);
    expect(claim.mock.calls.map(([session]) => session.id)).toEqual(["a", "b"]);
    registry.remove("a");
    expect(release.mock.calls).toEqual([["a"]]);

    registry.stopAccepting();
    expect(release.mock.calls).toEqual([["a"], ["b"]]);
    // Draining: its sessions take no new requests, but stay until closed (in-flight calls finish).
    expect(registry.use("b")).toBeUndefined();
    expect(registry.size).toBe(1);
    await registry.closeAll();
    expect(b.close).toHaveBeenCalled();
    expect(release).toHaveBeenCalledTimes(2);
  });
});

describe("generateSessionId", () => {
  it("makes 256-bit URL-safe ids that do not repeat", () => {
    const ids = new Set(Array.from({ length: 1_000 }, generateSessionId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(Buffer.from(id, "base64url")).toHaveLength(32);
  });
});
