import type { IncomingMessage, ServerResponse } from "node:http";

/** The HTTP tool the bench defines on our server (servers/http-tool.ts), calling the upstream below. */
export const UPSTREAM_TOOL = "upstream_echo";

const ECHO_PREFIX = "/echo?text=";

/** The upstream's one URL: `/echo?text=…`, the text percent-encoded. */
export const upstreamPath = (text: string) => `${ECHO_PREFIX}${encodeURIComponent(text)}`;

/**
 * The service the bench's HTTP tool calls: `GET /echo?text=…` answers `{"data":{"text":"…"}}`.
 * No router, no URL object, the length given up front: it must never be what limits a run.
 */
export function answerUpstream(req: IncomingMessage, res: ServerResponse): void {
  const text = req.method === "GET" ? echoTextOf(req.url) : undefined;
  if (text === undefined) {
    res.writeHead(404).end();
    return;
  }
  const body = JSON.stringify({ data: { text } });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** The `text` of `/echo?text=…` (its first parameter), decoded; undefined for any other URL. */
export function echoTextOf(url: string | undefined): string | undefined {
  if (!url?.startsWith(ECHO_PREFIX)) return undefined;
  const end = url.indexOf("&", ECHO_PREFIX.length);
  const raw = url.slice(ECHO_PREFIX.length, end === -1 ? undefined : end);
  try {
    // A form-encoded space is a +: URLSearchParams sends one so.
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}
