import { type Metrics, RATE_LIMITED_CODE } from "@mcp-tools/core";
import { RpcCode, rpcError } from "./json-rpc.js";

/** The limits per caller, as `mcp_limit_refusals_total{limit}` names them. */
export type LimitName = "sessions" | "streams" | "in_flight" | "batch";

/** The answers to a request over a limit; each counts itself in `mcp_limit_refusals_total`. */
export interface LimitRefusals {
  sessions(max: number): Response;
  streams(max: number): Response;
  inFlight(max: number): Response;
  batch(max: number): Response;
}

/**
 * A refusal says which limit and what to do. A full session, stream or call quota is 429 with
 * Retry-After (RFC 6585 §4) and the code rate limits use; an oversized batch is 400 / -32600, as
 * the SDK answers it on /mcp: it is a malformed request, and retrying the same batch cannot help.
 */
export function createLimitRefusals(
  metrics: Pick<Metrics, "limitRefusals">,
  /** The JSON-RPC code of a 429; MCP 2026-07-28 answers with its own (MODERN_RATE_LIMITED_CODE). */
  code = RATE_LIMITED_CODE,
): LimitRefusals {
  const count = (limit: LimitName, response: Response) => {
    metrics.limitRefusals.inc({ limit });
    return response;
  };
  const tooMany = (limit: LimitName, retryAfterSeconds: number, message: string) =>
    count(
      limit,
      rpcError(429, code, `Too Many Requests: ${message}`, {
        "retry-after": String(retryAfterSeconds),
      }),
    );
  return {
    sessions: (max) =>
      tooMany(
        "sessions",
        30,
        `this caller already has ${max} open MCP sessions and subscriptions/listen streams, the most allowed per API key (or per address without one); ` +
          "end one you no longer use (DELETE /mcp with its Mcp-Session-Id, or close its /sse or listen stream) and retry",
      ),
    streams: (max) =>
      tooMany(
        "streams",
        1,
        `this session already has ${max} open streams, the most allowed; ` +
          "wait for an answer to finish, or close a stream, before opening another",
      ),
    inFlight: (max) =>
      tooMany(
        "in_flight",
        1,
        `this caller already has ${max} requests awaiting their answers, the most allowed per API key (or per address without one); ` +
          "wait for some to be answered before sending more",
      ),
    batch: (max) =>
      count(
        "batch",
        rpcError(
          400,
          RpcCode.invalidRequest,
          `Invalid Request: Batch must not exceed ${max} messages; send the messages in smaller batches`,
        ),
      ),
  };
}
