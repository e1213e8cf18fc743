import {
  type Bus,
  createLifecycle,
  createLogger,
  createMemoryBus,
  createMetrics,
  type Metrics,
} from "@mcp-tools/core";
import { afterEach, describe, expect, it } from "vitest";
import { createRelay, type Relay, type RelayedRequest, type RelayOptions } from "./relay.js";
import type { Frame } from "./relay-frames.js";
import { createRelaySeal } from "./relay-seal.js";

const log = createLogger({ level: "silent" });
const SECRET = "a relay secret of at least 32 characters";
const request: RelayedRequest = {
  route: "mcp",
  session: "key-of-s1",
  principalId: "p1",
  method: "POST",
  headers: { accept: "text/event-stream" },
  body: { jsonrpc: "2.0", id: 1, method: "ping" },
};

/** A view of a shared bus that a test can cut off, as a process that dies is cut off. */
function killable(shared: Bus) {
  const subscriptions: Array<() => Promise<void>> = [];
  let dead = false;
  let dropNext = false;
  const bus: Bus = {
    ...shared,
    async publish(channel, message) {
      if (dead) throw new Error("connection closed");
      if (dropNext && message.includes('"t":"data"')) {
        dropNext = false;
        return 1;
      }
      return shared.publish(channel, message);
    },
    async subscribe(channel, handler) {
      const off = await shared.subscribe(channel, (message) => {
        if (!dead) handler(message);
      });
      subscriptions.push(off);
      return off;
    },
  };
  return {
    bus,
    async kill() {
      dead = true;
      await Promise.all(subscriptions.map((off) => off()));
    },
    /** Loses the next body chunk on its way, as a Redis that restarts mid-stream would. */
    dropNextChunk() {
      dropNext = true;
    },
  };
}

let relays: Relay[] = [];
afterEach(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
  relays = [];
});

function relayOn(
  bus: Bus,
  processId: string,
  options: Partial<Omit<RelayOptions, "bus" | "processId">> = {},
) {
  const relay = createRelay({ bus, processId, secret: SECRET, log, ...options });
  relays.push(relay);
  return relay;
}

/** A response whose body the test writes chunk by chunk, and that tells when it was cancelled. */
function controlledResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: () => {
      cancelled = true;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, {
      status: 200,
      headers: { "content-type": "text/event-stream", "x-id": "7" },
    }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    get cancelled() {
      return cancelled;
    },
  };
}

/** The frame inside a sealed message (which is `<mac>.<envelope>`). */
const frameOf = (sealed: string) => JSON.parse(sealed.slice(sealed.indexOf(".") + 1)).m as { t: string };

async function readAll(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

describe("relay", () => {
  it("hands a GET to the owner's handler and streams its response back, status, headers and body", async () => {
    const shared = createMemoryBus();
    const sender = relayOn(shared, "sender");
    let received: RelayedRequest | undefined;
    const answer = controlledResponse();
    const owner = relayOn(shared, "owner", {
      handlers: {
        mcp: async (incoming) => {
          received = incoming;
          return answer.response;
        },
      },
    });
    await owner.listen();

    const stream = { ...request, method: "GET" };
    const result = await sender.forward("owner", stream);
    if (!result.ok) throw new Error(result.reason);
    expect(received).toEqual(stream);
    expect(result.response.status).toBe(200);
    expect(result.response.headers.get("x-id")).toBe("7");
    // Multi-byte characters split across chunks arrive whole.
    const bytes = new TextEncoder().encode("data: héllo\n\n");
    answer.write("event: message\n");
    answer.write(new TextDecoder().decode(bytes.slice(0, 9)));
    setTimeout(() => {
      answer.write("llo\n\n");
      answer.end();
    }, 20);
    expect(await readAll(result.response)).toBe("event: message\ndata: héllo\n\n");
  });

  it("answers a POST whose response ends at once in one frame, and one that takes longer in several", async () => {
    const shared = createMemoryBus();
    const frames: string[] = [];
    await shared.subscribe("mcp:relay:sender", (frame) => frames.push(frameOf(frame).t));
    let slow = false;
    const owner = relayOn(shared, "owner", {
      handlers: {
        mcp: async () => {
          const answer = controlledResponse();
          answer.write("event: message\n");
          if (slow) setTimeout(() => answer.end(), 50);
          else queueMicrotask(() => answer.end());
          return answer.response;
        },
      },
    });
    await owner.listen();
    const sender = relayOn(shared, "sender");
    const quick = await sender.forward("owner", request);
    if (!quick.ok) throw new Error(quick.reason);
    expect(await quick.response.text()).toBe("event: message\n");
    expect(frames).toEqual(["head"]);

    slow = true;
    frames.length = 0;
    const later = await sender.forward("owner", request);
    if (!later.ok) throw new Error(later.reason);
    expect(await later.response.text()).toBe("event: message\n");
    expect(frames).toEqual(["head", "end"]);
  });

  it("tells the sender when no process listens on the owner's channel, and when the bus is down", async () => {
    const shared = createMemoryBus();
    const sender = relayOn(shared, "sender");
    expect(await sender.forward("nobody", request)).toEqual({ ok: false, reason: "owner-gone" });
    const cut = killable(shared);
    const isolated = relayOn(cut.bus, "isolated");
    await isolated.listen();
    await cut.kill();
    expect(await isolated.forward("sender", request)).toEqual({ ok: false, reason: "bus-down" });
  });

  it("gives up on an owner that never answers", async () => {
    const shared = createMemoryBus();
    const owner = relayOn(shared, "owner", { handlers: { mcp: () => new Promise<Response>(() => {}) } });
    await owner.listen();
    const sender = relayOn(shared, "sender", { answerTimeoutMs: 100 });
    expect(await sender.forward("owner", request)).toEqual({ ok: false, reason: "no-answer" });
  });

  it("cancels the owner's response when the client goes away", async () => {
    const shared = createMemoryBus();
    const answer = controlledResponse();
    const owner = relayOn(shared, "owner", { handlers: { mcp: async () => answer.response } });
    await owner.listen();
    const result = await relayOn(shared, "sender").forward("owner", { ...request, method: "GET" });
    if (!result.ok) throw new Error(result.reason);
    answer.write(": keepalive\n\n");
    const reader = result.response.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    await expect.poll(() => answer.cancelled).toBe(true);
  });

  it("ends a relayed stream whose owner dies, and one that lost a chunk", async () => {
    const shared = createMemoryBus();
    const cut = killable(shared);
    const answers = [controlledResponse(), controlledResponse()];
    let next = 0;
    const owner = relayOn(cut.bus, "owner", {
      handlers: { mcp: async () => (answers[next++] as ReturnType<typeof controlledResponse>).response },
    });
    await owner.listen();
    const warnings: unknown[] = [];
    const warn = (fields: unknown) => void warnings.push(fields);
    const sender = relayOn(shared, "sender", { watchMs: 50, log: { ...log, warn } });

    const lossy = await sender.forward("owner", { ...request, method: "GET" });
    if (!lossy.ok) throw new Error(lossy.reason);
    cut.dropNextChunk();
    answers[0]?.write("one");
    answers[0]?.write("two");
    answers[0]?.write("three");
    // Ended at the gap: what came after a lost chunk is never passed on.
    expect(await readAll(lossy.response)).toBe("");
    expect(warnings).toContainEqual(expect.objectContaining({ why: "relayed response lost messages" }));

    const orphan = await sender.forward("owner", { ...request, method: "GET" });
    if (!orphan.ok) throw new Error(orphan.reason);
    const reader = orphan.response.body?.getReader();
    answers[1]?.write("before");
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe("before");
    await cut.kill();
    expect((await reader?.read())?.done).toBe(true);
    expect(warnings).toContainEqual(expect.objectContaining({ why: "owner-gone" }));
  });
});

describe("a relay nobody else can speak on", () => {
  /** The relay frames `relay` dropped, by reason, as its metric counts them. */
  async function rejected(metrics: Metrics) {
    const { values } = await metrics.relayFramesRejected.get();
    return Object.fromEntries(values.map((value) => [value.labels.reason, value.value]));
  }

  it("ignores and counts requests published by hand: unsigned, signed with another key, replayed, or for another process", async () => {
    const shared = createMemoryBus();
    const metrics = createMetrics();
    const handled: RelayedRequest[] = [];
    const owner = relayOn(shared, "owner", {
      metrics,
      handlers: {
        mcp: async (incoming) => {
          handled.push(incoming);
          return new Response(null, { status: 202 });
        },
      },
    });
    await owner.listen();
    const captured: string[] = [];
    await shared.subscribe("mcp:relay:owner", (text) => captured.push(text));
    const sender = relayOn(shared, "sender");
    const answered = await sender.forward("owner", request);
    expect(answered.ok && answered.response.status).toBe(202);
    expect(handled).toHaveLength(1);

    const req = { t: "req", s: 99, ...request };
    const forger = createRelaySeal({ secret: "not the secret, though just as long", processId: "sender" });
    const eavesdropper = createRelaySeal({ secret: SECRET, processId: "sender" });
    await shared.publish("mcp:relay:owner", JSON.stringify({ ...req, from: "sender" }));
    await shared.publish("mcp:relay:owner", forger.seal("owner", req as Frame));
    await shared.publish("mcp:relay:owner", captured[0] ?? "");
    // Even with the secret, a frame sealed for another process is not taken here.
    await shared.publish("mcp:relay:owner", eavesdropper.seal("other", req as Frame));
    await shared.publish("mcp:relay:owner", `${"x".repeat(43)}.{}`);
    expect(handled).toHaveLength(1);
    expect(await rejected(metrics)).toEqual({
      unsigned: 1,
      "bad-signature": 2,
      replayed: 1,
      misaddressed: 1,
    });
  });

  it("takes a response only from the owner it asked", async () => {
    const shared = createMemoryBus();
    const metrics = createMetrics();
    const owner = relayOn(shared, "owner", { handlers: { mcp: () => new Promise<Response>(() => {}) } });
    await owner.listen();
    const sender = relayOn(shared, "sender", { metrics, answerTimeoutMs: 300 });
    const pending = sender.forward("owner", request);
    // Another replica, holding the secret, answers in the owner's place.
    const impostor = createRelaySeal({ secret: SECRET, processId: "impostor" });
    const head: Frame = { t: "head", s: 0, status: 200, headers: {}, d: "", end: true };
    await expect.poll(() => shared.publish("mcp:relay:sender", impostor.seal("sender", head))).toBe(1);
    expect(await pending).toEqual({ ok: false, reason: "no-answer" });
    expect(await rejected(metrics)).toMatchObject({ "not-the-owner": 1 });
  });

  it("sends a large answer in frames of at most 64 KiB, and it arrives whole", async () => {
    const shared = createMemoryBus();
    // 5 MB of multi-byte text in one chunk, which the frames cut mid-character.
    const body = new TextEncoder().encode("é😀".repeat(900_000));
    const owner = relayOn(shared, "owner", {
      handlers: { mcp: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }) },
    });
    await owner.listen();
    const sizes: number[] = [];
    await shared.subscribe("mcp:relay:sender", (text) => sizes.push(Buffer.byteLength(text)));
    const result = await relayOn(shared, "sender").forward("owner", request);
    if (!result.ok) throw new Error(result.reason);
    const received = Buffer.from(await result.response.arrayBuffer());
    expect(received.length).toBe(body.length);
    expect(received.equals(body)).toBe(true);
    expect(sizes.length).toBeGreaterThan(body.length / (64 * 1024));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
  });

  it("counts a relayed POST in flight at its owner until the last frame of its answer has gone out", async () => {
    const shared = createMemoryBus();
    const lifecycle = createLifecycle();
    const answer = controlledResponse();
    const owner = relayOn(shared, "owner", { lifecycle, handlers: { mcp: async () => answer.response } });
    await owner.listen();
    const result = await relayOn(shared, "sender").forward("owner", request);
    if (!result.ok) throw new Error(result.reason);
    expect(lifecycle.inFlight).toBe(1);
    const idle = lifecycle.idle(5_000);
    answer.write("event: message\ndata: {}\n\n");
    answer.end();
    expect(await idle).toBe(true);
    expect(await readAll(result.response)).toBe("event: message\ndata: {}\n\n");
  });
});
