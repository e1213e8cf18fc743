import { type Bus, createLogger, createMemoryBus } from "@mcp-tools/core";
import { afterEach, describe, expect, it } from "vitest";
import { createRelay, type Relay, type RelayedRequest, type RelayOptions } from "./relay.js";

const log = createLogger({ level: "silent" });
const request: RelayedRequest = {
  route: "mcp",
  sessionId: "s1",
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
  const relay = createRelay({ bus, processId, log, ...options });
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

async function readAll(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

describe("relay", () => {
  it("hands a GET to the owner's handler and streams its response back, status, headers and body", async () => {
    const shared = createMemoryBus();
    const owner = relayOn(shared, "owner");
    const sender = relayOn(shared, "sender");
    let received: RelayedRequest | undefined;
    const answer = controlledResponse();
    owner.serve("mcp", async (incoming) => {
      received = incoming;
      return answer.response;
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
    const owner = relayOn(shared, "owner");
    const frames: string[] = [];
    await shared.subscribe("mcp:relay:sender", (frame) => frames.push(JSON.parse(frame).t));
    let slow = false;
    owner.serve("mcp", async () => {
      const answer = controlledResponse();
      answer.write("event: message\n");
      if (slow) setTimeout(() => answer.end(), 50);
      else queueMicrotask(() => answer.end());
      return answer.response;
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
    const owner = relayOn(shared, "owner");
    owner.serve("mcp", () => new Promise<Response>(() => {}));
    await owner.listen();
    const sender = relayOn(shared, "sender", { answerTimeoutMs: 100 });
    expect(await sender.forward("owner", request)).toEqual({ ok: false, reason: "no-answer" });
  });

  it("cancels the owner's response when the client goes away", async () => {
    const shared = createMemoryBus();
    const owner = relayOn(shared, "owner");
    const answer = controlledResponse();
    owner.serve("mcp", async () => answer.response);
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
    const owner = relayOn(cut.bus, "owner");
    const answers = [controlledResponse(), controlledResponse()];
    let next = 0;
    owner.serve("mcp", async () => (answers[next++] as ReturnType<typeof controlledResponse>).response);
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
