import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createReplayStore, type ReplayStore } from "./replay-store.js";

const note = (text: string): JSONRPCMessage => ({
  jsonrpc: "2.0",
  method: "notifications/message",
  params: { level: "info", data: text },
});

async function replayed(store: ReplayStore, after: string) {
  const sent: Array<[string, JSONRPCMessage]> = [];
  const streamId = await store.replayEventsAfter(after, {
    send: async (id, message) => {
      sent.push([id, message]);
    },
  });
  return { streamId, sent };
}

describe("events kept for redelivery", () => {
  it("replays a stream's events after the last one its client saw, and no other stream's", async () => {
    const store = createReplayStore({ maxEvents: 100, maxBytes: 1 << 20 });
    const primed = await store.storeEvent("a", {} as JSONRPCMessage);
    await store.storeEvent("b", note("other stream"));
    const first = await store.storeEvent("a", note("one"));
    await store.storeEvent("a", note("two"));

    const { streamId, sent } = await replayed(store, primed);
    expect(streamId).toBe("a");
    expect(sent.map(([, message]) => message)).toEqual([note("one"), note("two")]);
    expect((await replayed(store, first)).sent.map(([, message]) => message)).toEqual([note("two")]);
    expect(await store.getStreamIdForEventId(primed)).toBe("a");
  });

  it("keeps at most maxEvents, dropping the oldest, whose ids are then unknown", async () => {
    const store = createReplayStore({ maxEvents: 3, maxBytes: 1 << 20 });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await store.storeEvent("a", note(`n${i}`)));
    expect(store.size).toBe(3);
    expect(await store.getStreamIdForEventId(ids[1] ?? "")).toBeUndefined();
    await expect(replayed(store, ids[1] ?? "")).rejects.toThrow(/no longer kept/);
    expect((await replayed(store, ids[2] ?? "")).sent.map(([id]) => id)).toEqual(ids.slice(3));
  });

  it("keeps at most maxBytes, dropping the oldest, but always the newest however large", async () => {
    const size = Buffer.byteLength(JSON.stringify(note("x".repeat(100))));
    const store = createReplayStore({ maxEvents: 100, maxBytes: size * 2 });
    for (let i = 0; i < 4; i++) await store.storeEvent("a", note("x".repeat(100)));
    expect(store.size).toBe(2);
    expect(store.bytes).toBe(size * 2);

    const large = await store.storeEvent("a", note("y".repeat(10_000)));
    expect(store.size).toBe(1);
    expect(await store.getStreamIdForEventId(large)).toBe("a");
  });

  it("forgets everything once cleared, as when its session ends", async () => {
    const store = createReplayStore({ maxEvents: 100, maxBytes: 1 << 20 });
    const id = await store.storeEvent("a", note("one"));
    store.clear();
    expect([store.size, store.bytes]).toEqual([0, 0]);
    expect(await store.getStreamIdForEventId(id)).toBeUndefined();
  });
});
