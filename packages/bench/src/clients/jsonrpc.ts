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

export function echoRequest(id: number, text: string) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: { text } } };
}

/** Throws unless `message` answers request `id` without an error. */
export function expectResult(message: JsonRpcResponse, id: number): unknown {
  if (message.id !== id)
    throw new Error(`Expected the answer to request ${id}, got ${JSON.stringify(message)}`);
  if (message.error) throw new Error(`Request ${id} failed: ${message.error.message}`);
  return message.result;
}

/** Throws unless the echo tool sent `text` back: a server that answers fast but wrong must not score. */
export function expectEcho(message: JsonRpcResponse, id: number, text: string): void {
  const result = expectResult(message, id) as { content?: { text?: string }[]; isError?: boolean };
  if (result.isError || result.content?.[0]?.text !== text) {
    throw new Error(`echo returned ${JSON.stringify(result)}`);
  }
}
