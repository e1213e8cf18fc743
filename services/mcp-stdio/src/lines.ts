import type { Readable } from "node:stream";

export interface LineReaderOptions {
  /** The longest line taken; a longer one is dropped whole and reported, and reading goes on. */
  maxBytes: number;
  onLine(line: string): void;
  onOversized(): void;
}

/** Reads newline-delimited messages (MCP stdio framing) from `input`, until `detach()`. */
export interface LineReader {
  /** Takes no line until `resume()` (a line handler may call it: the lines after wait). */
  pause(): void;
  /** Goes on where `pause()` stopped: the rest of the chunk it stopped in, then `input`. */
  resume(): void;
  /**
   * Stops reading (a line handler may call it) and returns the bytes read after the last line
   * taken, for whoever reads `input` next.
   */
  detach(): Buffer;
}

const NEWLINE = 10;

export function readLines(input: Readable, { maxBytes, onLine, onOversized }: LineReaderOptions): LineReader {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Inside a line over the limit: everything up to its newline is dropped.
  let skipping = false;
  let detached = false;
  let paused = false;
  // The chunk being split, and where its untaken part starts: `detach` may come mid-chunk.
  let chunk: Buffer = Buffer.alloc(0);
  let start = 0;

  function take(line: Buffer) {
    if (skipping) skipping = false;
    else if (line.byteLength > maxBytes) onOversized();
    else if (line.byteLength > 0) onLine(line.toString("utf8").replace(/\r$/, ""));
  }

  function onData(data: Buffer) {
    chunk = data;
    start = 0;
    split();
  }

  function split() {
    for (
      let end = chunk.indexOf(NEWLINE, start);
      end !== -1 && !detached && !paused;
      end = chunk.indexOf(NEWLINE, start)
    ) {
      const piece = chunk.subarray(start, end);
      const line = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      start = end + 1;
      take(line);
    }
    if (detached || paused || skipping || start === chunk.byteLength) return;
    pending.push(chunk.subarray(start));
    pendingBytes += chunk.byteLength - start;
    start = chunk.byteLength;
    if (pendingBytes > maxBytes) {
      pending = [];
      pendingBytes = 0;
      skipping = true;
      onOversized();
    }
  }

  input.on("data", onData);
  return {
    pause() {
      paused = true;
      input.pause();
    },
    resume() {
      if (detached || !paused) return;
      paused = false;
      split();
      if (!paused && !detached) input.resume();
    },
    detach() {
      detached = true;
      input.off("data", onData);
      input.pause();
      const rest = Buffer.concat([...pending, chunk.subarray(start)]);
      pending = [];
      return rest;
    },
  };
}
