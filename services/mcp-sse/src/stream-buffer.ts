import { type Logger, type Metrics, publicSessionId } from "@mcp-tools/core";

/**
 * The SSE streams of this process, each bounded in the bytes that may wait for a client that has
 * stopped reading. A stream is closed when, as more data is written to it, more than `maxBytes`
 * already wait unread (STREAM_BUFFER_MAX_BYTES); a single large message is still delivered to a
 * client that keeps reading. What waits is what the HTTP server has not taken yet: it takes a
 * chunk only once the socket has drained the last, so a stalled client shows here.
 */
export interface StreamBuffers {
  /** Bytes waiting unread on the open streams now. */
  waiting(): number;
  /** The most bytes that have waited unread on one stream. */
  readonly peak: number;
  /** A stream its owner writes to, chunk by chunk. */
  open(options: BoundedStreamOptions): BoundedStream;
  /**
   * Bounds a stream someone else writes to (the SDK transport's): reads it as fast as it is
   * written, so that what waits shows here, and cancels it when cut, as a client disconnect would.
   */
  bound(body: ReadableStream<Uint8Array>, options: BoundOptions): ReadableStream<Uint8Array>;
}

/** How a stream ended: its writer closed it, its client went away, or it was cut off for not reading. */
export type StreamEnd = "closed" | "cancelled" | "cut";

export interface BoundedStreamOptions {
  transport: "sse" | "streamable-http";
  /** The session's id; a log line names it by its public id. */
  sessionId: string;
  /** The connection the stream is written to; cut, it is destroyed, as a client that went away. */
  connection?: { destroy(): void } | undefined;
  /** Called once, when the stream ends. */
  onEnd?: (how: StreamEnd) => void;
}

export interface BoundOptions extends BoundedStreamOptions {
  /** Once aborted, the stream ends as its writer had closed it, and the source is cancelled. */
  endOn?: AbortSignal;
}

export interface BoundedStream {
  readonly stream: ReadableStream<Uint8Array>;
  /** Queues a chunk; false once the stream has ended (closed, cancelled, or cut off). */
  write(chunk: Uint8Array): boolean;
  /** Ends the stream once the client has read what waits. */
  close(): void;
}

export interface StreamBuffersOptions {
  maxBytes: number;
  metrics?: Pick<Metrics, "slowStreamsClosed">;
  log: Pick<Logger, "info">;
}

// Queue sizes in bytes, and no reserve: the queue holds exactly what the client has not taken.
const byBytes = { highWaterMark: 0, size: (chunk?: Uint8Array) => chunk?.byteLength ?? 0 };

export function createStreamBuffers({ maxBytes, metrics, log }: StreamBuffersOptions): StreamBuffers {
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const waitingOn = (controller: ReadableStreamDefaultController<Uint8Array>) =>
    -(controller.desiredSize ?? 0);
  let peak = 0;

  function openStream({ transport, sessionId, connection, onEnd }: BoundedStreamOptions): BoundedStream {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let ended = false;
    const end = (how: StreamEnd) => {
      if (ended) return false;
      ended = true;
      open.delete(controller);
      onEnd?.(how);
      return true;
    };
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          controller = c;
          open.add(c);
        },
        cancel: () => {
          end("cancelled");
        },
      },
      byBytes,
    );

    function cutOff(waiting: number) {
      metrics?.slowStreamsClosed.inc({ transport });
      log.info(
        { transport, session: publicSessionId(sessionId), waitingBytes: waiting, maxBytes },
        "closed a stream whose client stopped reading",
      );
      end("cut");
      // Erroring a stream the HTTP server is sending makes it print a stack: cut the connection
      // instead, and it cancels the stream, dropping what waits. Without one, the error drops it.
      if (connection) connection.destroy();
      else controller.error(new Error("closed: the client stopped reading"));
    }

    return {
      stream,
      write(chunk) {
        if (ended) return false;
        const waiting = waitingOn(controller);
        if (waiting > maxBytes) {
          cutOff(waiting);
          return false;
        }
        controller.enqueue(chunk);
        const now = waiting + chunk.byteLength;
        if (now > peak) peak = waitingOn(controller);
        return true;
      },
      close() {
        if (end("closed")) controller.close();
      },
    };
  }

  return {
    waiting() {
      let total = 0;
      for (const controller of open) total += waitingOn(controller);
      return total;
    },
    get peak() {
      return peak;
    },
    open: openStream,
    bound(body, options) {
      const reader = body.getReader();
      const { endOn, ...rest } = options;
      const out = openStream({
        ...rest,
        onEnd: (how) => {
          endOn?.removeEventListener("abort", endNow);
          if (how !== "closed") reader.cancel().catch(() => undefined);
          options.onEnd?.(how);
        },
      });
      // What waits for the client still reaches it; what the source has not handed over is its own
      // to keep (the SDK transport keeps it for redelivery).
      function endNow() {
        reader.cancel().catch(() => undefined);
        out.close();
      }
      if (endOn?.aborted) endNow();
      else endOn?.addEventListener("abort", endNow, { once: true });
      void (async () => {
        try {
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) return out.close();
            if (!out.write(chunk.value)) return;
          }
        } catch {
          out.close();
        }
      })();
      return out.stream;
    },
  };
}
