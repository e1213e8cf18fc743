import type { ErrorBodyFormatter } from "@mcp-tools/http";

/** JSON-RPC error codes this edge answers with. -32000 is the SDK's code for transport-level refusals. */
export const RpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  internalError: -32603,
  serverError: -32000,
  sessionNotFound: -32001,
} as const;

/** An HTTP error answer with a JSON-RPC error body, as the MCP SDK's transports send them. */
export function rpcError(
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): Response {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
  return new Response(body, { status, headers: { "content-type": "application/json", ...headers } });
}

export const sessionNotFound = () => rpcError(404, RpcCode.sessionNotFound, "Session not found");

export const sessionIdRequired = () =>
  rpcError(400, RpcCode.serverError, "Bad Request: Mcp-Session-Id header is required");

export const methodNotAllowed = (allow: string) =>
  rpcError(405, RpcCode.serverError, "Method not allowed.", { allow });

export const shuttingDown = () =>
  rpcError(503, RpcCode.serverError, "Service Unavailable: the server is shutting down", {
    "retry-after": "5",
  });

/** A session held by another process could not be reached because the bus is down. */
export const busUnavailable = () =>
  rpcError(
    503,
    RpcCode.serverError,
    "Service Unavailable: this session is held by another server process, and the message bus (Redis) that reaches it is down; retry shortly",
    { "retry-after": "5" },
  );

export const ownerNotAnswering = () =>
  rpcError(
    504,
    RpcCode.serverError,
    "Gateway Timeout: the server process holding this session did not answer",
  );

/** Errors thrown on this edge (a guard's 403, an unexpected 500) answered in the same JSON-RPC shape. */
export const rpcErrorBody: ErrorBodyFormatter = ({ code, message }) => ({
  jsonrpc: "2.0",
  error: {
    code:
      code === "INVALID"
        ? RpcCode.invalidRequest
        : code === "INTERNAL"
          ? RpcCode.internalError
          : RpcCode.serverError,
    message,
  },
  id: null,
});
