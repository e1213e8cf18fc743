/**
 * MCP 2026-07-28 §Versioning: the `_meta` key naming a request's revision. Spelled here rather than
 * imported from SDK v2, so that telling the eras apart does not load the SDK (a stdio server
 * answering `initialize` never needs it); envelope.test.ts holds it equal to the SDK's.
 */
export const PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion";

/** MCP 2026-07-28: the `_meta` key of what the client supports, sent on every request. */
const CLIENT_CAPABILITIES_META_KEY = "io.modelcontextprotocol/clientCapabilities";

/** What the client declared on this request; nothing (`{}`) when it declared nothing readable. */
export function clientCapabilitiesOf(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const meta = params?._meta;
  const capabilities =
    typeof meta === "object" && meta !== null
      ? (meta as Record<string, unknown>)[CLIENT_CAPABILITIES_META_KEY]
      : undefined;
  return typeof capabilities === "object" && capabilities !== null && !Array.isArray(capabilities)
    ? (capabilities as Record<string, unknown>)
    : {};
}

/**
 * Whether a message (or any message of a batch) carries a modern `_meta` envelope. One that does
 * not belongs to the session-holding eras whatever else it says; one that does is checked in full
 * by `routeMessage`.
 */
export function claimsModernEnvelope(body: unknown): boolean {
  if (!Array.isArray(body)) return claimsEnvelope(body);
  return body.some(claimsEnvelope);
}

function claimsEnvelope(message: unknown): boolean {
  const params =
    typeof message === "object" && message !== null ? (message as { params?: unknown }).params : undefined;
  const meta =
    typeof params === "object" && params !== null ? (params as { _meta?: unknown })._meta : undefined;
  return typeof meta === "object" && meta !== null && PROTOCOL_VERSION_META_KEY in meta;
}

/** A message's JSON-RPC id, or null when it has none a response could carry. */
export function requestIdOf(body: unknown): string | number | null {
  const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? id : null;
}
