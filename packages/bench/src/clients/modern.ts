import type { Agent } from "node:http";
import { authHeaders, request } from "./http.js";
import {
  expectModernEcho,
  expectResult,
  expectToolResult,
  type JsonRpcResponse,
  MODERN_PROTOCOL_VERSION,
  modernRequest,
} from "./jsonrpc.js";
import { readAnswer } from "./post-answer.js";

const ACCEPT = "application/json, text/event-stream";

export interface ModernClient {
  /** Calls the echo tool once and checks the answer. */
  echo(text: string): Promise<void>;
  /** Calls a tool once; throws when it fails. */
  callTool(name: string, args: Record<string, unknown>): Promise<void>;
  /** Nothing to end: a 2026-07-28 client holds no session. */
  close(): void;
}

export interface ModernOptions {
  agent: Agent;
  timeoutMs: number;
  /** Sent as a bearer token on every request when set. */
  token?: string | undefined;
  /** Sent on every request too, e.g. a stable client id a load balancer can hash on. */
  headers?: Record<string, string> | undefined;
  /** Asks `server/discover` first, as a client that does not know the server yet does (default true). */
  discover?: boolean;
}

/**
 * A minimal 2026-07-28 client over HTTP: no handshake and no session, one POST per request, each
 * carrying the version and capabilities in `_meta` and its method (and tool name) in the
 * `Mcp-Method`/`Mcp-Name` headers the server checks against the body.
 */
export async function openModernClient(
  endpoint: URL,
  { agent, timeoutMs, token, headers: extra = {}, discover = true }: ModernOptions,
): Promise<ModernClient> {
  const always = {
    "content-type": "application/json",
    accept: ACCEPT,
    "mcp-protocol-version": MODERN_PROTOCOL_VERSION,
    ...extra,
    ...authHeaders(token),
  };
  const post = async (
    headers: Record<string, string>,
    id: number,
    body: unknown,
  ): Promise<JsonRpcResponse> => {
    const res = await request(endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      agent,
      timeoutMs,
    });
    if (res.status !== 200) {
      throw new Error(`${headers["mcp-method"]} answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
    return readAnswer(res.headers["content-type"], res.body, id);
  };
  if (discover) {
    const answer = await post(
      { ...always, "mcp-method": "server/discover" },
      0,
      modernRequest(0, "server/discover"),
    );
    const { supportedVersions } = expectResult(answer, 0) as { supportedVersions?: unknown };
    if (!Array.isArray(supportedVersions) || !supportedVersions.includes(MODERN_PROTOCOL_VERSION)) {
      throw new Error(`server/discover does not offer ${MODERN_PROTOCOL_VERSION}: ${JSON.stringify(answer)}`);
    }
  }
  const echoHeaders = { ...always, "mcp-method": "tools/call", "mcp-name": "echo" };
  let nextId = 1;
  return {
    async echo(text) {
      const id = nextId++;
      const body = modernRequest(id, "tools/call", { name: "echo", arguments: { text } });
      expectModernEcho(await post(echoHeaders, id, body), id, text);
    },
    async callTool(name, args) {
      const id = nextId++;
      const body = modernRequest(id, "tools/call", { name, arguments: args });
      expectToolResult(await post({ ...always, "mcp-method": "tools/call", "mcp-name": name }, id, body), id);
    },
    close() {},
  };
}
