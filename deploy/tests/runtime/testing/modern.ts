import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { bearer } from "./keys.js";

/** The stateless revision: no session, version and capabilities on every request. */
export const MODERN_VERSION = "2026-07-28";

/** An official SDK v2 client on `baseUrl/mcp`, pinned to 2026-07-28 (no fallback to a 2025 session). */
export async function connectModernClient(baseUrl: string, name: string, token: string): Promise<Client> {
  const client = new Client(
    { name, version: "1.0.0" },
    { versionNegotiation: { mode: { pin: MODERN_VERSION } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
    requestInit: { headers: bearer(token) },
  });
  await client.connect(transport);
  if (client.getProtocolEra() !== "modern")
    throw new Error(`${name} negotiated the ${client.getProtocolEra()} era, not ${MODERN_VERSION}`);
  return client;
}

/** Calls `tool` and returns its structured result; an `isError` result throws with its text. */
export async function callModern(client: Client, tool: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name: tool, arguments: args });
  if (result.isError) throw new Error(`${tool} answered an error: ${JSON.stringify(result.content)}`);
  return result.structuredContent as Record<string, unknown>;
}
