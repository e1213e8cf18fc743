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
