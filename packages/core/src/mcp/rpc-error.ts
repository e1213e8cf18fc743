import { AppError } from "../errors.js";
import { RATE_LIMITED_CODE } from "./rate-limit.js";

/** A JSON-RPC error object, as every era sends it. */
export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

/**
 * The one mapping from what core throws to the JSON-RPC error a client receives, for every era.
 * Recoverable tool errors never get here: the call wrapper has already made them `isError` results.
 */
export function rpcErrorOf(error: unknown): RpcError {
  if (!(error instanceof AppError)) return { code: INTERNAL_ERROR, message: "Internal error" };
  switch (error.code) {
    case "INVALID":
      return { code: INVALID_PARAMS, message: error.message };
    case "NOT_FOUND":
      // What was not found (a resource's uri), where the thrower says (SEP-2164).
      return {
        code: INVALID_PARAMS,
        message: error.message,
        ...(error.details !== undefined && { data: error.details }),
      };
    case "RATE_LIMITED":
      return { code: RATE_LIMITED_CODE, message: error.message, data: error.details };
    default:
      return { code: INTERNAL_ERROR, message: error.message };
  }
}

/**
 * What an SDK v1 handler throws so that its client gets `rpc` as it is: the SDK sends a thrown
 * error's code, message and data unchanged (its McpError would prefix the message with
 * "MCP error <code>: "), so every era sends the same error.
 */
export const sdkError = ({ code, message, data }: RpcError): Error =>
  Object.assign(new Error(message), { code, data });

/** `result`, or the JSON-RPC error of what it threw, for an SDK v1 handler. */
export async function answeredForSdk<T>(result: Promise<T>, rpcOf = rpcErrorOf): Promise<T> {
  try {
    return await result;
  } catch (error) {
    throw sdkError(rpcOf(error));
  }
}
