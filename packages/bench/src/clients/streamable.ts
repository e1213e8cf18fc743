import type { Agent } from "node:http";
import { authHeaders, openStream, request } from "./http.js";
import {
  echoRequest,
  expectEcho,
  expectResult,
  expectToolResult,
  initializedNotification,
  initializeRequest,
  type ToolResult,
  toolCallRequest,
} from "./jsonrpc.js";
import { readAnswer } from "./post-answer.js";

const PROTOCOL_VERSION = "2025-11-25";
const ACCEPT = "application/json, text/event-stream";

export interface StreamableSession {
  readonly id: string;
  /** Calls the echo tool once and checks the answer. */
  echo(text: string): Promise<void>;
  /** Calls a tool once; returns its result, or throws when it failed. */
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  /** Opens the standalone GET stream a full client keeps for server-initiated messages. */
  openListenStream(): Promise<void>;
  /** Ends the session with DELETE (and drops the GET stream if open). */
  close(): Promise<void>;
}

export interface StreamableOptions {
  agent: Agent;
  timeoutMs: number;
  /** Sent as a bearer token on every request (POST, GET stream, DELETE) when set. */
  token?: string | undefined;
  /** Sent on every request too, e.g. a stable client id a load balancer can hash on. */
  headers?: Record<string, string> | undefined;
}

/** A minimal Streamable HTTP client: initialize, notifications/initialized, then tools/call. */
export async function openStreamableSession(
  endpoint: URL,
  { agent, timeoutMs, token, headers: extra = {} }: StreamableOptions,
) {
  const always = { ...extra, ...authHeaders(token) };
  const init = await request(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", accept: ACCEPT, ...always },
    body: JSON.stringify(initializeRequest(0, PROTOCOL_VERSION)),
    agent,
    timeoutMs,
  });
  const id = init.headers["mcp-session-id"];
  if (init.status !== 200 || typeof id !== "string") {
    throw new Error(`initialize answered ${init.status} without a session id: ${init.body.slice(0, 200)}`);
  }
  expectResult(readAnswer(init.headers["content-type"], init.body, 0), 0);
  const headers = {
    "content-type": "application/json",
    accept: ACCEPT,
    "mcp-session-id": id,
    "mcp-protocol-version": PROTOCOL_VERSION,
    ...always,
  };
  const notified = await request(endpoint, {
    method: "POST",
    headers,
    body: JSON.stringify(initializedNotification),
    agent,
    timeoutMs,
  });
  if (notified.status !== 202) throw new Error(`notifications/initialized answered ${notified.status}`);

  let nextId = 1;
  let listen: { close(): void } | undefined;
  const session: StreamableSession = {
    id,
    async echo(text) {
      const callId = nextId++;
      const body = JSON.stringify(echoRequest(callId, text));
      const res = await request(endpoint, { method: "POST", headers, body, agent, timeoutMs });
      if (res.status !== 200) throw new Error(`tools/call answered ${res.status}: ${res.body.slice(0, 200)}`);
      expectEcho(readAnswer(res.headers["content-type"], res.body, callId), callId, text);
    },
    async callTool(name, args) {
      const callId = nextId++;
      const body = JSON.stringify(toolCallRequest(callId, name, args));
      const res = await request(endpoint, { method: "POST", headers, body, agent, timeoutMs });
      if (res.status !== 200) throw new Error(`tools/call answered ${res.status}: ${res.body.slice(0, 200)}`);
      return expectToolResult(readAnswer(res.headers["content-type"], res.body, callId), callId);
    },
    async openListenStream() {
      const { "content-type": _, ...getHeaders } = headers;
      const stream = openStream(endpoint, {
        headers: { ...getHeaders, accept: "text/event-stream" },
        agent,
        onChunk: () => {},
        onEnd: () => {},
      });
      listen = stream;
      await stream.opened;
    },
    async close() {
      listen?.close();
      await request(endpoint, { method: "DELETE", headers, agent, timeoutMs }).catch(() => undefined);
    },
  };
  return session;
}
