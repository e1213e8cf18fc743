/** The JSON-RPC messages the load generator sends, and the one check it makes of each answer. */

export const clientInfo = { name: "mcp-bench", version: "0.1.0" };

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

export function initializeRequest(id: number, protocolVersion: string) {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo },
  };
}

export const initializedNotification = { jsonrpc: "2.0", method: "notifications/initialized" };

export function toolCallRequest(id: number, name: string, args: Record<string, unknown>) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

export function echoRequest(id: number, text: string) {
  return toolCallRequest(id, "echo", { text });
}

export const MODERN_PROTOCOL_VERSION = "2026-07-28";

/**
 * MCP 2026-07-28: with no `initialize`, every request says who is asking in `params._meta` (the
 * version, the client and its capabilities); one object, since it never changes.
 */
const modernEnvelope = {
  "io.modelcontextprotocol/protocolVersion": MODERN_PROTOCOL_VERSION,
  "io.modelcontextprotocol/clientInfo": clientInfo,
  "io.modelcontextprotocol/clientCapabilities": {},
};

/** A 2026-07-28 request: `params` (if any) plus the envelope in `_meta`. */
export function modernRequest(id: number, method: string, params: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id, method, params: { ...params, _meta: modernEnvelope } };
}

/** Throws unless `message` answers request `id` without an error. */
export function expectResult(message: JsonRpcResponse, id: number): unknown {
  if (message.id !== id)
    throw new Error(`Expected the answer to request ${id}, got ${JSON.stringify(message)}`);
  if (message.error) throw new Error(`Request ${id} failed: ${message.error.message}`);
  return message.result;
}

export interface ToolResult {
  content?: { text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  resultType?: string;
}

/** Throws unless the echo tool sent `text` back: a server that answers fast but wrong must not score. */
export function expectEcho(message: JsonRpcResponse, id: number, text: string): ToolResult {
  const result = expectResult(message, id) as ToolResult;
  if (result.isError || result.content?.[0]?.text !== text) {
    throw new Error(`echo returned ${JSON.stringify(result)}`);
  }
  return result;
}

/** Throws unless the tool call answered without an error, in the protocol or in its result. */
export function expectToolResult(message: JsonRpcResponse, id: number): ToolResult {
  const result = expectResult(message, id) as ToolResult;
  if (result.isError) throw new Error(`the tool failed: ${JSON.stringify(result).slice(0, 300)}`);
  return result;
}

/**
 * expectEcho, for a 2026-07-28 answer: its result must also say it is complete (MCP 2026-07-28
 * requires `resultType`; an SDK v2 client refuses a result without it).
 */
export function expectModernEcho(message: JsonRpcResponse, id: number, text: string): void {
  const result = expectEcho(message, id, text);
  if (result.resultType !== "complete") throw new Error(`echo returned ${JSON.stringify(result)}`);
}
