// Raw MCP 2026-07-28 requests, for tests that need to send what no SDK client would.

export const MODERN = "2026-07-28";

export const envelope = (version = MODERN) => ({
  "io.modelcontextprotocol/protocolVersion": version,
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
});

/** A request with its envelope (and any more `_meta`), and the headers a conforming client mirrors from it. */
export function modernRequest(
  id: number | string,
  method: string,
  params: Record<string, unknown> = {},
  version = MODERN,
  meta: Record<string, unknown> = {},
): { body: Record<string, unknown>; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
    "mcp-protocol-version": version,
    "mcp-method": method,
  };
  const name = params.name ?? params.uri;
  if (typeof name === "string") headers["mcp-name"] = name;
  return {
    body: { jsonrpc: "2.0", id, method, params: { ...params, _meta: { ...envelope(version), ...meta } } },
    headers,
  };
}

export const modernEcho = (id: number | string, text: string) =>
  modernRequest(id, "tools/call", { name: "echo", arguments: { text } });

/** POSTs a request to `/mcp`; `headers` replaces (undefined removes) the mirrored ones. */
export function postModern(
  url: string,
  { body, headers }: { body: unknown; headers: Record<string, string> },
  changes: Record<string, string | undefined> = {},
): Promise<Response> {
  const sent: Record<string, string> = { ...headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete sent[name];
    else sent[name] = value;
  }
  return fetch(`${url}/mcp`, { method: "POST", headers: sent, body: JSON.stringify(body) });
}
