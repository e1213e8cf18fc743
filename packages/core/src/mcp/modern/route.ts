import { classifyInboundRequest } from "@modelcontextprotocol/server";
import type { RpcError } from "../rpc-error.js";
import type { ModernDispatcher, ModernRequest } from "./dispatch.js";
import { claimsModernEnvelope, PROTOCOL_VERSION_META_KEY, requestIdOf } from "./envelope.js";
import { decodeHeaderValue, paramHeaderMismatch } from "./param-headers.js";
import {
  MODERN_VERSION,
  ModernCode,
  type RequestId,
  SUPPORTED_VERSIONS,
  unsupportedVersion,
} from "./wire.js";

/** What a transport knows of one inbound message: its body and, over HTTP, its headers. */
export interface InboundMessage {
  body: unknown;
  /** A request header by its lower-case name: HTTP only; stdio has no headers. */
  header?: (name: string) => string | undefined;
}

/** Where a message goes: the stateful eras, the modern dispatcher, or back with an error. */
export type Route =
  | { kind: "legacy" }
  | { kind: "request"; request: ModernRequest }
  | { kind: "notification"; method: string; params?: Record<string, unknown> | undefined }
  | { kind: "refused"; status: number; id: RequestId | null; error: RpcError };

// SEP-2243: the methods whose target is mirrored into `Mcp-Name`, and the field it comes from.
const NAME_SOURCE: Record<string, "name" | "uri" | "taskId"> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  // The tasks extension: a load balancer may route a task's requests by its id.
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId",
};

/**
 * Decides a message's era from its body, as MCP 2026-07-28 §Versioning says a dual-era server does:
 * a per-request `_meta` envelope naming a modern revision is served statelessly; anything else
 * (`initialize`, a session's traffic, a 2025 envelope) goes to the session-holding eras.
 * The SDK's classifier checks the envelope and the header/body cross-checks; here we add what it
 * leaves to the server: the version must be one we serve, the method one we answer (HTTP: 404),
 * and the required headers present and equal to the body (stdio has none to check).
 */
export function routeMessage({ body, header }: InboundMessage, dispatcher: ModernDispatcher): Route {
  if (plainlyLegacy(body, header?.("mcp-protocol-version"))) return { kind: "legacy" };
  const outcome = classifyInboundRequest({
    httpMethod: "POST",
    body,
    ...(header ? standardHeaders(header) : mirroredHeaders(body)),
  });
  if (outcome.kind === "legacy") return { kind: "legacy" };
  if (outcome.kind === "reject")
    return refused(outcome.httpStatus, requestIdOf(body), {
      code: outcome.code,
      message: outcome.message,
      data: outcome.data,
    });
  if (outcome.classification.era !== "modern") return { kind: "legacy" };
  const { message } = outcome;
  const revision = outcome.classification.revision;
  const id = "id" in message ? message.id : null;
  if (revision !== MODERN_VERSION) return refused(400, id, unsupportedVersion(revision));
  const params = message.params as Record<string, unknown> | undefined;
  if (outcome.messageKind === "notification") return { kind: "notification", method: message.method, params };
  const request: ModernRequest = { id: outcome.message.id, method: message.method, params };
  if (!dispatcher.answers(request.method) && request.method !== "subscriptions/listen")
    return refused(header ? 404 : 200, request.id, {
      code: ModernCode.methodNotFound,
      message: `Method not found: ${request.method.slice(0, 100)}`,
    });
  const mismatch = header ? headerMismatch(request, header, dispatcher) : undefined;
  if (mismatch) return refused(400, request.id, { code: ModernCode.headerMismatch, message: mismatch });
  return { kind: "request", request };
}

/**
 * What the SDK's classifier would route to the older eras without a second look: no message claims
 * a modern envelope and no header names a modern version. It costs the classifier ~10 µs to find
 * that out; this check costs next to nothing, and most traffic today is such.
 */
function plainlyLegacy(body: unknown, versionHeader: string | undefined): boolean {
  if (versionHeader !== undefined && !LEGACY_VERSIONS.has(versionHeader)) return false;
  return !claimsModernEnvelope(body);
}

const LEGACY_VERSIONS = new Set(SUPPORTED_VERSIONS.filter((version) => version !== MODERN_VERSION));

const refused = (status: number, id: RequestId | null, error: RpcError): Route => ({
  kind: "refused",
  status,
  id,
  error,
});

function standardHeaders(header: (name: string) => string | undefined) {
  const [version, method, name] = [header("mcp-protocol-version"), header("mcp-method"), header("mcp-name")];
  return {
    ...(version !== undefined && { protocolVersionHeader: version }),
    ...(method !== undefined && { mcpMethodHeader: method }),
    ...(name !== undefined && { mcpNameHeader: name }),
  };
}

/** On stdio the body is its own header: the cross-checks pass by construction, the envelope is still checked. */
function mirroredHeaders(body: unknown) {
  const message = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const version = meta?.[PROTOCOL_VERSION_META_KEY];
  return {
    ...(typeof version === "string" && { protocolVersionHeader: version }),
    ...(typeof message.method === "string" && { mcpMethodHeader: message.method }),
  };
}

/**
 * MCP 2026-07-28 §Server Validation: the headers a request needs, present and equal to its body;
 * for a tool call, also the `Mcp-Param-*` headers its tool's arguments are mirrored into.
 */
function headerMismatch(
  request: ModernRequest,
  header: (name: string) => string | undefined,
  dispatcher: ModernDispatcher,
) {
  if (header("mcp-protocol-version") === undefined)
    return "Header mismatch: the MCP-Protocol-Version header is required";
  if (header("mcp-method") === undefined) return "Header mismatch: the Mcp-Method header is required";
  const source = Object.hasOwn(NAME_SOURCE, request.method) ? NAME_SOURCE[request.method] : undefined;
  if (source === undefined) return undefined;
  const value = request.params?.[source];
  if (typeof value !== "string") return undefined;
  const sent = header("mcp-name");
  if (sent === undefined) return `Header mismatch: the Mcp-Name header is required for ${request.method}`;
  const named = decodeHeaderValue(sent.trim());
  if (named === undefined) return "Header mismatch: the Mcp-Name header is not valid Base64";
  if (named !== value)
    return `Header mismatch: Mcp-Name header value '${clip(named)}' does not match body value '${clip(value)}'`;
  if (request.method !== "tools/call") return undefined;
  return paramHeaderMismatch(dispatcher.headerParams(value), request.params?.arguments, header);
}

const clip = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}…` : text);
