import type { Logger } from "@mcp-tools/core";
import {
  CHUNK_BYTES,
  type Frame,
  type RelayedRequest,
  type RelayRoute,
  type SendFrame,
} from "./relay-frames.js";

/** Answers a relayed request with the response the owner would have sent to the client itself. */
export type RelayHandler = (request: RelayedRequest) => Promise<Response>;

/** How this process answers the requests relayed to it, per route; a route without one gets 404. */
export type RelayHandlers = Readonly<Partial<Record<RelayRoute, RelayHandler>>>;

/** The owner's side of the relay: answers requests locally and streams each response back. */
export interface RelayOwner {
  /** Answers `from`'s request; settles once the last frame of the answer has gone out. */
  answer(from: string, frame: Extract<Frame, { t: "req" }>): Promise<void>;
  /** Stops producing a response whose sender has gone away. */
  cancel(from: string, s: number): void;
  /** Stops every response being sent. */
  close(): Promise<void>;
}

/** How long a POST's answer may take before its head goes ahead alone. */
const FIRST_CHUNK_WAIT_MS = 1_000;
// Hop-by-hop and framing headers belong to each connection, not to the relayed response.
const DROPPED_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);
/** The session id is a bearer secret: it crosses the bus as an empty value, which the sender fills in. */
export const WITHHELD_HEADER = "mcp-session-id";

export function createRelayOwner(
  send: SendFrame,
  handlers: RelayHandlers,
  log: Pick<Logger, "warn">,
): RelayOwner {
  // Responses being sent, by "sender/stream", so a sender can cancel one.
  const outgoing = new Map<string, ReadableStreamDefaultReader<Uint8Array>>();

  async function respond(request: RelayedRequest): Promise<Response> {
    const handler = handlers[request.route];
    if (!handler) return new Response(null, { status: 404 });
    return handler(request).catch((error: unknown) => {
      log.warn({ err: String(error) }, "relayed MCP request failed");
      return new Response(null, { status: 500 });
    });
  }

  return {
    async answer(from, { t: _, s, ...request }) {
      const response = await respond(request);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!DROPPED_HEADERS.has(name)) headers[name] = name === WITHHELD_HEADER ? "" : value;
      });
      const reader = response.body?.getReader();
      const key = `${from}/${s}`;
      if (reader) outgoing.set(key, reader);
      let n = 0;
      /** Sends body bytes in bounded frames; false once nobody receives them (the sender has gone). */
      const sendData = async (bytes: Uint8Array) => {
        for (const piece of pieces(bytes))
          if ((await send(from, { t: "data", s, n: n++, d: piece })) === 0) return false;
        return true;
      };
      try {
        // A POST's answer comes soon and ends its stream: one frame then carries all of it. A GET
        // stream's head goes at once: its first event may be a long way off.
        const start = reader && request.method !== "GET" ? await readAhead(reader) : undefined;
        const ended = !reader || (start !== undefined && start.pending === undefined);
        const first = start?.bytes.subarray(0, CHUNK_BYTES) ?? EMPTY;
        const rest = start?.bytes.subarray(CHUNK_BYTES) ?? EMPTY;
        const end = ended && rest.length === 0;
        const head: Frame = { t: "head", s, status: response.status, headers, d: base64(first), end };
        // Nobody received it: the sender has gone, so stop producing.
        if ((await send(from, head)) === 0 || !reader || end) {
          if (!end) await reader?.cancel();
          return;
        }
        if (!(await sendData(rest))) return void (await reader.cancel());
        if (!ended) {
          let next = start?.pending ?? reader.read();
          for (;;) {
            const chunk = await next;
            if (chunk.done) break;
            if (!(await sendData(chunk.value))) return void (await reader.cancel());
            next = reader.read();
          }
        }
        await send(from, { t: "end", s, n });
      } catch (error) {
        await reader?.cancel().catch(() => undefined);
        await send(from, { t: "end", s, n, error: String(error) }).catch(() => undefined);
      } finally {
        outgoing.delete(key);
      }
    },
    cancel(from, s) {
      void outgoing
        .get(`${from}/${s}`)
        ?.cancel()
        .catch(() => undefined);
    },
    async close() {
      await Promise.allSettled([...outgoing.values()].map((reader) => reader.cancel()));
    },
  };
}

const EMPTY = new Uint8Array(0);

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

/** `bytes` as base64 pieces of at most CHUNK_BYTES each. */
function* pieces(bytes: Uint8Array): Generator<string> {
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield base64(bytes.subarray(at, at + CHUNK_BYTES));
}

type Chunk = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/**
 * Reads what a response has ready: its first chunk (waiting up to FIRST_CHUNK_WAIT_MS), then
 * whatever follows within the same turn of the event loop. `pending` is the read still waiting
 * when the turn ended; undefined when the body has ended.
 */
async function readAhead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<{ bytes: Uint8Array; pending?: Promise<Chunk> }> {
  const chunks: Uint8Array[] = [];
  let next = reader.read();
  let first = true;
  for (;;) {
    const chunk = await settledWithin(next, first);
    if (chunk === undefined) return { bytes: Buffer.concat(chunks), pending: next };
    if (chunk.done) return { bytes: Buffer.concat(chunks) };
    chunks.push(chunk.value);
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
