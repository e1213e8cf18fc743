/** One Server-Sent Event: its `event:` name ("message" when absent) and its joined `data:` lines. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser: feed it chunks as they arrive, it returns the events
 * the chunk completed. Enough of the WHATWG format for MCP: `event`, `data`, comments; no `retry`.
 */
export function createSseParser(): (chunk: string) => SseEvent[] {
  let buffer = "";
  return function parse(chunk) {
    buffer += chunk;
    const events: SseEvent[] = [];
    let end = findBlankLine(buffer);
    while (end.index !== -1) {
      const block = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end.length);
      const event = parseBlock(block);
      if (event) events.push(event);
      end = findBlankLine(buffer);
    }
    return events;
  };
}

/** Every complete event in a whole body, e.g. the SSE response to one POST. */
export function parseSseBody(body: string): SseEvent[] {
  return createSseParser()(body.endsWith("\n\n") ? body : `${body}\n\n`);
}

function findBlankLine(text: string): { index: number; length: number } {
  const lf = text.indexOf("\n\n");
  const crlf = text.indexOf("\r\n\r\n");
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, length: 4 };
  return { index: lf, length: 2 };
}

function parseBlock(block: string): SseEvent | undefined {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length > 0 ? { event, data: data.join("\n") } : undefined;
}
