import type { EventStore } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * The events of one Streamable HTTP session kept for redelivery (MCP 2025-11-25 §Transports,
 * "Resumability and Redelivery"): a client whose stream ended, cut or closed for polling, asks
 * again with GET + Last-Event-ID and gets what came after on that stream.
 */
export interface ReplayStore extends EventStore {
  /** The stream of a kept event; undefined once it is dropped, which the transport answers with 400. */
  getStreamIdForEventId(eventId: string): Promise<string | undefined>;
  /** Events kept now. */
  readonly size: number;
  /** Bytes of the kept events' messages, as JSON. */
  readonly bytes: number;
  /** Forgets every event: the session has ended. */
  clear(): void;
}

export interface ReplayStoreOptions {
  /** The most events kept; the oldest go first. */
  maxEvents: number;
  /** The most bytes kept; the oldest go first, but the newest event is always kept. */
  maxBytes: number;
}

interface Kept {
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
}

/**
 * Kept in the session's process, bounded by count and bytes: a session is owned by one process
 * (its requests elsewhere are relayed to it), so its events need no shared store. An event
 * dropped for room makes a Last-Event-ID naming it unknown (400) rather than replaying a stream
 * with a hole in it. Event ids are a counter: they mean something only within their session.
 */
export function createReplayStore({ maxEvents, maxBytes }: ReplayStoreOptions): ReplayStore {
  // Insertion order is event order: the first entry is the oldest.
  const events = new Map<string, Kept>();
  let next = 0;
  let bytes = 0;

  function dropOldest() {
    const first = events.entries().next();
    if (first.done) return;
    events.delete(first.value[0]);
    bytes -= first.value[1].bytes;
  }

  return {
    get size() {
      return events.size;
    },
    get bytes() {
      return bytes;
    },
    async storeEvent(streamId, message) {
      const id = String(next++);
      const size = Buffer.byteLength(JSON.stringify(message));
      events.set(id, { streamId, message, bytes: size });
      bytes += size;
      while (events.size > 1 && (events.size > maxEvents || bytes > maxBytes)) dropOldest();
      return id;
    },
    async getStreamIdForEventId(eventId) {
      return events.get(eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const last = events.get(lastEventId);
      if (!last) throw new Error(`event ${lastEventId} is no longer kept`);
      const after = Number(lastEventId);
      for (const [id, event] of [...events]) {
        // A priming event (empty data, SEP-1699) has nothing to redeliver.
        if (event.streamId !== last.streamId || Number(id) <= after || !("jsonrpc" in event.message))
          continue;
        await send(id, event.message);
      }
      return last.streamId;
    },
    clear() {
      events.clear();
      bytes = 0;
    },
  };
}
