// Helpers for this package's tests; not exported from the package.
import { execFile } from "node:child_process";
import { request } from "node:http";
import { promisify } from "node:util";
import type { AppContext, ContextOptions } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { expect } from "vitest";
import { type McpHttpService, start } from "./start.js";

const execFileAsync = promisify(execFile);

export interface TestServer {
  ctx: AppContext;
  service: McpHttpService;
  url: string;
  close(): Promise<void>;
}

/** A context on in-memory PGlite and the app listening on a free loopback port. */
export async function startTestServer(
  overrides: Record<string, string> = {},
  options: ContextOptions = {},
): Promise<TestServer> {
  const ctx = await createTestContext(overrides, options);
  const service = await start(ctx, { host: "127.0.0.1", port: 0 });
  return {
    ctx,
    service,
    url: service.url,
    async close() {
      await service.stop();
      await ctx.close();
    },
  };
}

/** Headers carrying an API key, or none. */
const authHeaders = (token?: string): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };

export async function connectStreamable(
  url: string,
  name = "streamable-test",
  token?: string,
  capabilities: ClientCapabilities = {},
): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" }, { capabilities });
  const requestInit = { headers: authHeaders(token) };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit }));
  return client;
}

export async function connectSse(url: string, name = "sse-test", token?: string): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  const headers = authHeaders(token);
  await client.connect(
    new SSEClientTransport(new URL(`${url}/sse`), {
      requestInit: { headers },
      // The event stream's GET goes through this fetch; the header must ride on it too.
      eventSourceInit: {
        fetch: (input, init) =>
          fetch(input, {
            ...init,
            headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers },
          }),
      },
    }),
  );
  return client;
}

export const mcpHeaders = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

export const initialize = (id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1.0.0" } },
});

export const echo = (id: number | string, text: string) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "echo", arguments: { text } },
});

/** Opens a Streamable HTTP session with plain fetch; resolves to its id. */
export async function openRawSession(url: string): Promise<string> {
  const res = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: mcpHeaders,
    body: JSON.stringify(initialize()),
  });
  const id = res.headers.get("mcp-session-id");
  await res.text();
  if (res.status !== 200 || !id) throw new Error(`initialize failed: ${res.status}`);
  const initialized = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: { ...mcpHeaders, "mcp-session-id": id },
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  if (initialized.status !== 202) throw new Error(`initialized failed: ${initialized.status}`);
  return id;
}

/** The JSON-RPC messages in an SSE body (or the body itself when it is JSON). */
export async function messagesOf(res: Response): Promise<Array<Record<string, unknown>>> {
  const text = await res.text();
  if (res.headers.get("content-type")?.startsWith("application/json")) return [JSON.parse(text)];
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)));
}

/** Status and JSON-RPC error of an error answer. */
export async function rpcErrorOf(
  res: Response,
): Promise<{ status: number; code: unknown; message: unknown }> {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as { jsonrpc?: string; error?: { code?: unknown; message?: unknown } };
  expect(body.jsonrpc).toBe("2.0");
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

/** Reads an SSE stream chunk by chunk until `until` is satisfied by the text so far. */
export async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (text: string) => boolean,
  timeoutMs = 5_000,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  while (!until(text)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out; got ${JSON.stringify(text)}`);
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(text)}`)), remaining),
      ),
    ]);
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `expected`, for effects that land a tick after the request that caused them. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  expected: T,
  timeoutMs = 2_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await sleep(10);
    value = await read();
  }
  expect(value).toBe(expected);
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** False leaves the request body unfinished, as a client still uploading would. */
  end?: boolean;
}

/** A request through node:http, which (unlike fetch) sends any Host and Content-Length it is given. */
export function rawRequest(
  url: string,
  { method = "POST", headers = {}, body, end = true }: RawRequestOptions = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(url, { method, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
          if (!end) req.destroy();
        });
      });
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      if (end) req.end();
      else req.flushHeaders();
    },
  );
}

/** Resolves once the stream has ended, cleanly or cut; rejects if it is still open after `timeoutMs`. */
export async function streamEnds(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  timeoutMs = 2_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stream still open after ${timeoutMs} ms`)), timeoutMs);
  });
  const end = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // Cut rather than ended: ended all the same.
    }
  })();
  try {
    await Promise.race([end, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs `bodyBytes` bytes with Node's fetch from a separate process and resolves to what that
 * client saw: the status and body, or the error's code. In-process, client and server share one
 * event loop, which hides how a real client sees a connection closed under its upload.
 */
export async function postFromAnotherProcess(
  url: string,
  bodyBytes: number,
  headers: Record<string, string> = mcpHeaders,
): Promise<{ status?: number; body?: string; error?: string }> {
  const script = `
    const [url, size, headers] = process.argv.slice(1);
    try {
      const res = await fetch(url, { method: "POST", headers: JSON.parse(headers), body: "x".repeat(Number(size)) });
      console.log(JSON.stringify({ status: res.status, body: await res.text() }));
    } catch (error) {
      console.log(JSON.stringify({ error: String(error.cause?.code ?? error.message) }));
    }`;
  const { stdout } = await execFileAsync(process.execPath, [
    "--input-type=module",
    "-e",
    script,
    url,
    String(bodyBytes),
    JSON.stringify(headers),
  ]);
  return JSON.parse(stdout);
}
