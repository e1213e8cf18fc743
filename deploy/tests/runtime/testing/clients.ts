import { auditLog, createDatabase } from "@mcp-tools/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { bearer } from "./keys.js";

export type TransportKind = "mcp" | "sse";

export interface ConnectOptions {
  /** A fetch for every HTTP request the transport makes (to send some of them elsewhere). */
  fetch?: FetchLike;
  /** An API key, sent as `Authorization: Bearer` on every request (the event stream's GET too). */
  token?: string;
}

/** A real SDK client on Streamable HTTP (`/mcp`) or legacy SSE (`/sse`) at `baseUrl`. */
export async function connectClient(
  baseUrl: string,
  kind: TransportKind,
  name: string,
  options: ConnectOptions = {},
) {
  const client = new Client({ name, version: "1.0.0" });
  const transport = kind === "mcp" ? streamable(baseUrl, options) : legacySse(baseUrl, options);
  await client.connect(transport);
  return { client, transport };
}

const authHeaders = (token?: string): Record<string, string> => (token === undefined ? {} : bearer(token));

function streamable(baseUrl: string, { fetch: fetchVia, token }: ConnectOptions) {
  return new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
    fetch: fetchVia,
    requestInit: { headers: authHeaders(token) },
  });
}

function legacySse(baseUrl: string, { fetch: fetchVia = fetch, token }: ConnectOptions) {
  const headers = authHeaders(token);
  return new SSEClientTransport(new URL(`${baseUrl}/sse`), {
    fetch: fetchVia,
    requestInit: { headers },
    // The event stream's GET goes through this fetch, and only some SDK versions add requestInit's
    // headers to it: the key rides on it here either way. (Its init.headers may be a Headers
    // object, which spreading would empty.)
    eventSourceInit: {
      fetch: (url, init) =>
        fetchVia(url, {
          ...init,
          headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers },
        }),
    },
  });
}

/** Calls `echo` and returns the text it answered. */
export async function echo(client: Client, text: string, timeoutMs = 30_000): Promise<string> {
  const result = await client.callTool({ name: "echo", arguments: { text } }, undefined, {
    timeout: timeoutMs,
  });
  if (result.isError) throw new Error(`echo answered an error: ${JSON.stringify(result.content)}`);
  return (result.structuredContent as { text: string }).text;
}

/** The HTTP status a transport error carries: in `code` (Streamable HTTP, SSE) or its message (a POST). */
export function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "number" && code >= 100) return code;
  const inMessage = /\(HTTP (\d{3})\)/.exec(String(error))?.[1];
  return inMessage ? Number(inMessage) : undefined;
}

/** The audit rows of the database at `databaseUrl` (our test databases hold only the test's). */
export async function auditRows(databaseUrl: string) {
  const database = await createDatabase({
    DATABASE_URL: databaseUrl,
    DATA_DIR: "memory://",
    DATABASE_POOL_MAX: 1,
  });
  try {
    return await database.db.select().from(auditLog);
  } finally {
    await database.close();
  }
}

/** The `text`, `tag` or other string argument an audit row recorded. */
export const auditedArgument = (row: { arguments: unknown }, key: string): string | undefined => {
  const value = (row.arguments as Record<string, unknown> | null)?.[key];
  return typeof value === "string" ? value : undefined;
};
