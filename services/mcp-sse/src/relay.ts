import type { Bus, Lifecycle, Logger } from "@mcp-tools/core";
import type { JsonRpcBody } from "./read-body.js";

/** The routes whose requests can be relayed: Streamable HTTP, and the legacy transport's POSTs. */
export type RelayRoute = "mcp" | "messages";

/** A request for a session held by another process, as the owner receives it. */
export interface RelayedRequest {
  route: RelayRoute;
  sessionId: string;
  principalId: string;
  method: string;
  headers: Record<string, string>;
  /** The parsed JSON-RPC body of a POST; the sender has already checked size and syntax. */
  body?: JsonRpcBody;
}

/** Answers a relayed request with the response the owner would have sent to the client itself. */
export type RelayHandler = (request: RelayedRequest) => Promise<Response>;

/** Why a request could not be relayed. */
export type RelayFailure = "owner-gone" | "bus-down" | "no-answer";

export type ForwardResult = { ok: true; response: Response } | { ok: false; reason: RelayFailure };

/**
 * HTTP over the bus, between the processes that serve MCP. A request for a session held elsewhere
 * is published on the owner's channel; the owner answers it as if the client had asked it directly,
 * and streams the response back (head, body chunks, end) on the sender's channel. Redis keeps the
 * order of one publisher's messages, and each chunk is numbered, so a lost one ends the stream
 * instead of corrupting it. Each process subscribes to its own channel only.
 */
export interface Relay {
  /** Subscribes to this process's channel; requests for its sessions arrive from then on. */
  listen(): Promise<void>;
  /** Sets how requests arriving for `route` are answered. */
  serve(route: RelayRoute, handler: RelayHandler): void;
  /** Sends the request to the owner's handler and returns the owner's response. */
  forward(owner: string, request: RelayedRequest): Promise<ForwardResult>;
  /** Ends every relayed response in both directions and unsubscribes. */
  close(): Promise<void>;
}

export interface RelayOptions {
  bus: Bus;
  processId: string;
  log: Pick<Logger, "debug" | "warn">;
  /** Counts a relayed POST in flight until its response ends, so a drain waits for it. */
  lifecycle?: Pick<Lifecycle, "track">;
  /** How long to wait for the owner's response head. */
  answerTimeoutMs?: number;
  /** How often to check that the owners of open relayed responses are still there. */
  watchMs?: number;
}

type Frame =
  | ({ t: "req"; s: number; from: string } & RelayedRequest)
  | { t: "cancel"; s: number; from: string }
  | { t: "ping" }
  // The head carries the start of the body, and all of it when `end` is set (most POSTs).
  | { t: "head"; s: number; status: number; headers: Record<string, string>; d: string; end: boolean }
  | { t: "data"; s: number; n: number; d: string }
  | { t: "end"; s: number; n: number; error?: string };

/** One response this process is receiving from an owner. */
interface Incoming {
  owner: string;
  head: (result: ForwardResult) => void;
  controller?: ReadableStreamDefaultController<Uint8Array>;
  next: number;
  done: () => void;
}

const channelOf = (processId: string) => `mcp:relay:${processId}`;
/** How long a POST's answer may take before its head goes ahead alone. */
const FIRST_CHUNK_WAIT_MS = 1_000;
const encoder = new TextEncoder();
// Hop-by-hop and framing headers belong to each connection, not to the relayed response.
const DROPPED_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

export function createRelay({
  bus,
  processId,
  log,
  lifecycle,
  answerTimeoutMs = 30_000,
  watchMs = 2_000,
}: RelayOptions): Relay {
  const handlers = new Map<RelayRoute, RelayHandler>();
  const incoming = new Map<number, Incoming>();
  // Responses this process is sending, by "sender/stream", so a sender can cancel one.
  const outgoing = new Map<string, ReadableStreamDefaultReader<Uint8Array>>();
  let nextStream = 0;
  let unsubscribe: Promise<() => Promise<void>> | undefined;
  let watch: NodeJS.Timeout | undefined;

  const send = (processId: string, frame: Frame) => bus.publish(channelOf(processId), JSON.stringify(frame));

  function onFrame(text: string) {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    switch (frame.t) {
      case "req":
        void answer(frame);
        return;
      case "cancel":
        void outgoing
          .get(`${frame.from}/${frame.s}`)
          ?.cancel()
          .catch(() => undefined);
        return;
      case "ping":
        return;
      default:
        receive(frame);
    }
  }

  /** The owner's side: answer the request locally and stream the response back to its sender. */
  async function answer({ t: _, s, from, ...request }: Extract<Frame, { t: "req" }>) {
    const handler = handlers.get(request.route);
    const response = handler
      ? await handler(request).catch((error: unknown) => {
          log.warn({ err: String(error) }, "relayed MCP request failed");
          return new Response(null, { status: 500 });
        })
      : new Response(null, { status: 404 });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!DROPPED_HEADERS.has(name)) headers[name] = value;
    });
    const reader = response.body?.getReader();
    const key = `${from}/${s}`;
    if (reader) outgoing.set(key, reader);
    const decoder = new TextDecoder();
    let n = 0;
    try {
      // A POST's answer comes soon and ends its stream: one frame then carries all of it. A GET
      // stream's head goes at once: its first event may be a long way off.
      const start = reader && request.method !== "GET" ? await readAhead(reader, decoder) : undefined;
      const end = !reader || (start !== undefined && start.pending === undefined);
      const head: Frame = { t: "head", s, status: response.status, headers, d: start?.text ?? "", end };
      // Nobody received it: the sender has gone, so stop producing.
      if ((await send(from, head)) === 0 || !reader || end) {
        if (!end) await reader?.cancel();
        return;
      }
      let next = start?.pending ?? reader.read();
      for (;;) {
        const chunk = await next;
        if (chunk.done) break;
        const d = decoder.decode(chunk.value, { stream: true });
        if ((await send(from, { t: "data", s, n: n++, d })) === 0) {
          await reader.cancel();
          return;
        }
        next = reader.read();
      }
      await send(from, { t: "end", s, n });
    } catch (error) {
      await reader?.cancel().catch(() => undefined);
      await send(from, { t: "end", s, n, error: String(error) }).catch(() => undefined);
    } finally {
      outgoing.delete(key);
    }
  }

  /** The sender's side: a frame of a response it is waiting for. */
  function receive(frame: Exclude<Frame, { t: "req" | "cancel" | "ping" }>) {
    const stream = incoming.get(frame.s);
    if (!stream) return;
    if (frame.t === "head") {
      const init = { status: frame.status, headers: frame.headers };
      if (frame.end) {
        stream.done();
        stream.head({ ok: true, response: new Response(frame.d === "" ? null : frame.d, init) });
        return;
      }
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => {
          stream.controller = controller;
          if (frame.d !== "") controller.enqueue(encoder.encode(frame.d));
        },
        cancel: () => {
          stream.done();
          send(stream.owner, { t: "cancel", s: frame.s, from: processId }).catch(() => undefined);
        },
      });
      stream.head({ ok: true, response: new Response(body, init) });
      return;
    }
    if (frame.n !== stream.next) {
      fail(frame.s, "relayed response lost messages");
      return;
    }
    stream.next += 1;
    if (frame.t === "data") {
      stream.controller?.enqueue(encoder.encode(frame.d));
      return;
    }
    if (frame.error) fail(frame.s, frame.error);
    else {
      stream.done();
      stream.controller?.close();
    }
  }

  /**
   * Gives up on a relayed response. One whose head went out ends as if complete: erroring it would
   * have the HTTP server print a stack and write the error into the stream. An SSE client takes
   * the end as its cue to reconnect; the reason goes to the log.
   */
  function fail(s: number, why: string, reason: RelayFailure = "no-answer") {
    const stream = incoming.get(s);
    if (!stream) return;
    stream.done();
    stream.head({ ok: false, reason });
    if (!stream.controller) return;
    log.warn({ owner: stream.owner, why }, "relayed MCP response cut short");
    try {
      stream.controller.close();
    } catch {
      // Already closed by the client.
    }
  }

  /** Ends the relayed responses of owners that are gone, or all of them when the bus is down. */
  async function checkOwners() {
    const owners = new Set([...incoming.values()].map((stream) => stream.owner));
    await Promise.all(
      [...owners].map(async (owner) => {
        const reason = await send(owner, { t: "ping" }).then(
          (receivers): RelayFailure | undefined => (receivers === 0 ? "owner-gone" : undefined),
          (): RelayFailure => "bus-down",
        );
        if (!reason) return;
        for (const [s, stream] of incoming) if (stream.owner === owner) fail(s, reason, reason);
      }),
    );
  }

  const listen = () => {
    unsubscribe ??= bus.subscribe(channelOf(processId), onFrame);
    return unsubscribe.then(() => undefined);
  };

  return {
    listen,
    serve(route, handler) {
      handlers.set(route, handler);
    },
    async forward(owner, request) {
      await listen();
      const s = nextStream++;
      let settle!: () => void;
      const finished = new Promise<void>((resolve) => {
        settle = resolve;
      });
      const result = new Promise<ForwardResult>((resolve) => {
        incoming.set(s, {
          owner,
          head: resolve,
          next: 0,
          done: () => {
            incoming.delete(s);
            settle();
            if (incoming.size === 0) {
              clearInterval(watch);
              watch = undefined;
            }
          },
        });
      });
      if (!watch) {
        watch = setInterval(() => void checkOwners(), watchMs);
        watch.unref();
      }
      // A relayed POST is a call in flight here too: a drain waits until its answer has gone out.
      if (request.method !== "GET") void lifecycle?.track(finished);
      const fromOwner = incoming.get(s);
      try {
        if ((await send(owner, { t: "req", s, from: processId, ...request })) === 0) {
          fromOwner?.done();
          return { ok: false, reason: "owner-gone" };
        }
      } catch (error) {
        log.debug({ err: String(error) }, "cannot relay MCP request");
        fromOwner?.done();
        return { ok: false, reason: "bus-down" };
      }
      const timer = setTimeout(() => fail(s, "the owner did not answer", "no-answer"), answerTimeoutMs);
      return result.finally(() => clearTimeout(timer));
    },
    async close() {
      clearInterval(watch);
      watch = undefined;
      for (const s of [...incoming.keys()]) fail(s, "server shutting down");
      await Promise.allSettled([...outgoing.values()].map((reader) => reader.cancel()));
      const off = await unsubscribe?.catch(() => undefined);
      unsubscribe = undefined;
      await off?.().catch(() => undefined);
    },
  };
}

type Chunk = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/**
 * Reads what a response has ready: its first chunk (waiting up to FIRST_CHUNK_WAIT_MS), then
 * whatever follows within the same turn of the event loop. `pending` is the read still waiting
 * when the turn ended; undefined when the body has ended.
 */
async function readAhead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  decoder: InstanceType<typeof TextDecoder>,
): Promise<{ text: string; pending?: Promise<Chunk> }> {
  let text = "";
  let next = reader.read();
  let first = true;
  for (;;) {
    const chunk = await settledWithin(next, first);
    if (chunk === undefined) return { text, pending: next };
    if (chunk.done) return { text };
    text += decoder.decode(chunk.value, { stream: true });
    next = reader.read();
    first = false;
  }
}

/** `read`'s chunk, or undefined when it takes longer than FIRST_CHUNK_WAIT_MS (the first) or one turn. */
function settledWithin(read: Promise<Chunk>, first: boolean): Promise<Chunk | undefined> {
  return new Promise((resolve) => {
    const late = () => resolve(undefined);
    const timer = first ? setTimeout(late, FIRST_CHUNK_WAIT_MS) : undefined;
    const turn = first ? undefined : setImmediate(late);
    read.then(
      (chunk) => {
        clearTimeout(timer);
        clearImmediate(turn);
        resolve(chunk);
      },
      () => resolve(undefined),
    );
  });
}
