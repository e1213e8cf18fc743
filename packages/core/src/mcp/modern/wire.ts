import {
  SERVER_INFO_META_KEY,
  SUBSCRIPTION_ID_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/server";
import type { RpcError } from "../rpc-error.js";

/** The stateless revision: version and capabilities travel with every request. */
export const MODERN_VERSION = "2026-07-28";

/** Every revision this server answers, newest first: the modern one and the SDK v1 eras beside it. */
export const SUPPORTED_VERSIONS: readonly string[] = [
  MODERN_VERSION,
  ...SUPPORTED_PROTOCOL_VERSIONS.filter((version) => version !== "2024-10-07"),
];

export { SUBSCRIPTION_ID_META_KEY };

/** MCP 2026-07-28 §Error Codes: the codes this revision defines (-32020…-32099 are the spec's). */
export const ModernCode = {
  headerMismatch: -32_020,
  missingClientCapability: -32_021,
  unsupportedVersion: -32_022,
  methodNotFound: -32_601,
  invalidParams: -32_602,
} as const;

/**
 * A refused call (rate limit) in this revision. The 2025 eras use -32029, from JSON-RPC's
 * implementation-defined range; 2026-07-28 reserves -32020…-32099 for codes it defines, and asks
 * for new codes outside -32768…-32000.
 */
export const MODERN_RATE_LIMITED_CODE = -31_029;

export type RequestId = string | number;

export interface ModernResponse {
  jsonrpc: "2.0";
  /** Null only when the request's id could not be read. */
  id: RequestId | null;
  result?: Record<string, unknown>;
  error?: RpcError;
}

export interface ModernNotification {
  jsonrpc: "2.0";
  method: string;
  params: Record<string, unknown>;
}

/**
 * A result as 2026-07-28 sends it: `resultType` ("complete", unless the result says otherwise, as
 * an `input_required` one does) and the server's identity in `_meta`.
 */
export function completeResult(
  id: RequestId,
  result: Record<string, unknown>,
  serverInfo: { name: string; version: string },
): ModernResponse {
  const meta = result._meta as Record<string, unknown> | undefined;
  return {
    jsonrpc: "2.0",
    id,
    result: { resultType: "complete", ...result, _meta: { ...meta, [SERVER_INFO_META_KEY]: serverInfo } },
  };
}

export const errorResponse = (id: RequestId | null, error: RpcError): ModernResponse => ({
  jsonrpc: "2.0",
  id,
  error,
});

/** MCP 2026-07-28 §Versioning: an unknown version is answered with what the server supports. */
export const unsupportedVersion = (requested: unknown): RpcError => ({
  code: ModernCode.unsupportedVersion,
  message: "Unsupported protocol version",
  data: { supported: SUPPORTED_VERSIONS, requested },
});
