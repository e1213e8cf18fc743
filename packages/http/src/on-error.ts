import { AppError, type ErrorCode, httpStatusOf, type Logger } from "@mcp-tools/core";
import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** What a failed request tells its client. */
export interface HttpErrorInfo {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Turns an error into the JSON body sent back; the MCP app answers in JSON-RPC, others use the default. */
export type ErrorBodyFormatter = (error: HttpErrorInfo) => unknown;

export interface ErrorHandlerOptions {
  /** Where unexpected errors are logged; AppErrors are the client's business and are not. */
  log?: Pick<Logger, "error">;
  body?: ErrorBodyFormatter;
}

/** `{ error: { code, message, details? } }`. */
export const defaultErrorBody: ErrorBodyFormatter = ({ code, message, details }) => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * Hono `onError`: AppError → its status and a JSON body naming the code; HTTPException (from Hono's
 * own middleware) → its status; anything else → 500 without internals, logged.
 */
export function errorHandler({ log, body = defaultErrorBody }: ErrorHandlerOptions = {}): ErrorHandler {
  return function onError(error, c) {
    const info = describe(error);
    if (info.code === "INTERNAL" && !(error instanceof AppError))
      log?.error({ err: error }, "request failed");
    return c.json(body(info), info.status as ContentfulStatusCode);
  };
}

/** Hono `notFound`: a JSON 404 in the same shape as every other error. */
export function notFoundHandler({
  body = defaultErrorBody,
}: Pick<ErrorHandlerOptions, "body"> = {}): NotFoundHandler {
  return function notFound(c) {
    const message = `Not found: ${c.req.method} ${new URL(c.req.url).pathname}`;
    return c.json(body({ status: 404, code: "NOT_FOUND", message }), 404);
  };
}

function describe(error: unknown): HttpErrorInfo {
  if (error instanceof AppError) {
    const info: HttpErrorInfo = {
      status: httpStatusOf[error.code],
      code: error.code,
      message: error.message,
    };
    if (error.details !== undefined) info.details = error.details;
    return info;
  }
  if (error instanceof HTTPException) {
    return {
      status: error.status,
      code: codeOfStatus(error.status),
      message: error.message || "Request failed",
    };
  }
  return { status: 500, code: "INTERNAL", message: "Internal server error" };
}

function codeOfStatus(status: number): ErrorCode {
  const match = (Object.entries(httpStatusOf) as Array<[ErrorCode, number]>).find(([, s]) => s === status);
  if (match) return match[0];
  return status >= 500 ? "INTERNAL" : "INVALID";
}
