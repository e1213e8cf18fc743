// Helpers for this package's tests; not exported from the package.
import { expect } from "vitest";
import { readUntil } from "../testing.js";

/** Opens GET /sse by hand; resolves to the stream reader and the endpoint it announced. */
export async function openSseStream(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/sse`, { headers: { accept: "text/event-stream", ...headers } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  if (!res.body) throw new Error("no body");
  const reader = res.body.getReader();
  const first = await readUntil(reader, (text) => text.includes("\n\n"));
  const endpoint = /^event: endpoint\ndata: (.+)\n\n/.exec(first)?.[1];
  if (!endpoint) throw new Error(`no endpoint event first: ${JSON.stringify(first)}`);
  return { reader, endpoint, rest: first.slice(first.indexOf("\n\n") + 2) };
}
