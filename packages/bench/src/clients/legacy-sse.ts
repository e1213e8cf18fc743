import type { Agent } from "node:http";
import { assertLoopback, authHeaders, openStream, request } from "./http.js";
import {
  echoRequest,
  expectEcho,
  expectResult,
  initializedNotification,
  initializeRequest,
  type JsonRpcResponse,
} from "./jsonrpc.js";
import { createSseParser } from "./sse-parser.js";

const PROTOCOL_VERSION = "2024-11-05";

export interface LegacySession {
  echo(text: string): Promise<void>;
  close(): void;
}

interface Pending {
  resolve(message: JsonRpcResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface LegacyOptions {
  agent: Agent;
  timeoutMs: number;
  /** Sent as a bearer token on the GET /sse and on every POST when set. */
  token?: string | undefined;
  /** Sent on the GET /sse and every POST too, e.g. a stable client id a load balancer can hash on. */
  headers?: Record<string, string> | undefined;
}

/**
 * A minimal HTTP+SSE (2024-11-05) client: GET /sse, wait for the `endpoint` event, POST each
 * request there and wait for its answer on the stream.
 */
export async function openLegacySession(
  sseUrl: URL,
  { agent, timeoutMs, token, headers: extra = {} }: LegacyOptions,
): Promise<LegacySession> {
  const always = { ...extra, ...authHeaders(token) };
  const pending = new Map<number, Pending>();
  const parse = createSseParser();
  let resolveEndpoint: (url: URL) => void = () => {};
  const endpointUrl = new Promise<URL>((resolve) => {
    resolveEndpoint = resolve;
  });
  const stream = openStream(sseUrl, {
    headers: { accept: "text/event-stream", ...always },
    agent,
    onChunk(chunk) {
      for (const event of parse(chunk)) {
        if (event.event === "endpoint") resolveEndpoint(new URL(event.data, sseUrl));
        else if (event.event === "message") settle(JSON.parse(event.data) as JsonRpcResponse);
      }
    },
    onEnd() {
      for (const call of pending.values()) call.reject(new Error("SSE stream ended"));
      pending.clear();
    },
  });
  function settle(message: JsonRpcResponse) {
    const call = typeof message.id === "number" ? pending.get(message.id) : undefined;
    if (!call || typeof message.id !== "number") return;
    pending.delete(message.id);
    clearTimeout(call.timer);
    call.resolve(message);
  }
  await stream.opened;
  const endpoint = await withTimeout(endpointUrl, timeoutMs, "the endpoint event");
  assertLoopback(endpoint);

  const post = async (message: unknown) => {
    const res = await request(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...always },
      body: JSON.stringify(message),
      agent,
      timeoutMs,
    });
    if (res.status !== 202) throw new Error(`POST ${endpoint.pathname} answered ${res.status}: ${res.body}`);
  };
  const call = (id: number, message: unknown) => {
    const answer = new Promise<JsonRpcResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`No answer to request ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
    });
    const sent = post(message).catch((error: unknown) => {
      clearTimeout(pending.get(id)?.timer);
      pending.delete(id);
      throw error;
    });
    return Promise.all([answer, sent]).then(([message]) => message);
  };

  expectResult(await call(0, initializeRequest(0, PROTOCOL_VERSION)), 0);
  await post(initializedNotification);
  let nextId = 1;
  return {
    async echo(text) {
      const id = nextId++;
      expectEcho(await call(id, echoRequest(id, text)), id, text);
    },
    close() {
      stream.close();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
