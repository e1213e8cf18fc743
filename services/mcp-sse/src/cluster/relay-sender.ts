import type { Lifecycle, Logger } from "@mcp-tools/core";
import type { RelayedRequest, ResponseFrame, SendFrame } from "./relay-frames.js";

/** Why a request could not be relayed. */
export type RelayFailure = "owner-gone" | "bus-down" | "no-answer";

export type ForwardResult = { ok: true; response: Response } | { ok: false; reason: RelayFailure };

/** The sender's side of the relay: sends requests to their owners and rebuilds the responses. */
export interface RelaySender {
  forward(owner: string, request: RelayedRequest): Promise<ForwardResult>;
  /**
   * Takes a frame of a response from `from`; false when it is not the owner this process asked
   * for that stream (the frame is then ignored).
   */
  receive(from: string, frame: ResponseFrame): boolean;
  /** Ends the relayed GET streams, which never end by themselves; relayed POSTs go on. */
  endStreams(): void;
  /** Ends every response still being received. */
  close(): void;
}

export interface RelaySenderOptions {
  send: SendFrame;
  log: Pick<Logger, "debug" | "warn">;
  lifecycle?: Pick<Lifecycle, "track">;
  answerTimeoutMs: number;
  watchMs: number;
}

/** One response this process is receiving from an owner. */
interface Incoming {
  owner: string;
  /** A GET stream, open until one side ends it (a POST's response ends with its answers). */
  stream: boolean;
  head: (result: ForwardResult) => void;
  controller?: ReadableStreamDefaultController<Uint8Array>;
  next: number;
  done: () => void;
}

const bytesOf = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"));

export function createRelaySender({
  send,
  log,
  lifecycle,
  answerTimeoutMs,
  watchMs,
}: RelaySenderOptions): RelaySender {
  const incoming = new Map<number, Incoming>();
  let nextStream = 0;
  let watch: NodeJS.Timeout | undefined;

  function receive(from: string, frame: ResponseFrame): boolean {
    const stream = incoming.get(frame.s);
    if (!stream) return true;
    if (stream.owner !== from) return false;
    if (frame.t === "head") {
      const init = { status: frame.status, headers: frame.headers };
      if (frame.end) {
        stream.done();
        stream.head({ ok: true, response: new Response(frame.d === "" ? null : bytesOf(frame.d), init) });
        return true;
      }
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => {
          stream.controller = controller;
          if (frame.d !== "") controller.enqueue(bytesOf(frame.d));
        },
        cancel: () => {
          stream.done();
          send(stream.owner, { t: "cancel", s: frame.s }).catch(() => undefined);
        },
      });
      stream.head({ ok: true, response: new Response(body, init) });
      return true;
    }
    if (frame.n !== stream.next) {
      fail(frame.s, "relayed response lost messages");
      return true;
    }
    stream.next += 1;
    if (frame.t === "data") {
      stream.controller?.enqueue(bytesOf(frame.d));
      return true;
    }
    if (frame.error) fail(frame.s, frame.error);
    else {
      stream.done();
      stream.controller?.close();
    }
    return true;
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

  /** Registers stream `s`, answered by `owner`; the owners are watched while any stream is open. */
  function openIncoming(s: number, owner: string, isStream: boolean) {
    let head!: (result: ForwardResult) => void;
    let settle!: () => void;
    const result = new Promise<ForwardResult>((resolve) => {
      head = resolve;
    });
    const finished = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const stream: Incoming = {
      owner,
      stream: isStream,
      head,
      next: 0,
      done: () => {
        incoming.delete(s);
        settle();
        if (incoming.size === 0) {
          clearInterval(watch);
          watch = undefined;
        }
      },
    };
    incoming.set(s, stream);
    if (!watch) {
      watch = setInterval(() => void checkOwners(), watchMs);
      watch.unref();
    }
    return { stream, result, finished };
  }

  return {
    receive,
    async forward(owner, request) {
      const s = nextStream++;
      const { stream, result, finished } = openIncoming(s, owner, request.method === "GET");
      // A relayed POST is a call in flight here too: a drain waits until its answer has gone out.
      if (request.method !== "GET") void lifecycle?.track(finished);
      try {
        if ((await send(owner, { t: "req", s, ...request })) === 0) {
          stream.done();
          return { ok: false, reason: "owner-gone" };
        }
      } catch (error) {
        log.debug({ err: String(error) }, "cannot relay MCP request");
        stream.done();
        return { ok: false, reason: "bus-down" };
      }
      const timer = setTimeout(() => fail(s, "the owner did not answer", "no-answer"), answerTimeoutMs);
      return result.finally(() => clearTimeout(timer));
    },
    endStreams() {
      for (const [s, stream] of [...incoming]) if (stream.stream) fail(s, "server shutting down");
    },
    close() {
      clearInterval(watch);
      watch = undefined;
      for (const s of [...incoming.keys()]) fail(s, "server shutting down");
    },
  };
}
