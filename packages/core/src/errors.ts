/** The error kinds every edge knows how to map (HTTP status, MCP result or JSON-RPC error). */
export type ErrorCode =
  | "NOT_FOUND"
  | "INVALID"
  | "CONFLICT"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "BAD_GATEWAY"
  | "INTERNAL";

/** One typed application error; `code` decides how each edge reports it. */
export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions & { details?: unknown },
  ) {
    super(message, options);
    this.details = options?.details;
  }
  readonly details: unknown;
}

/** HTTP status for each error code. */
export const httpStatusOf: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID: 400,
  CONFLICT: 409,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  BAD_GATEWAY: 502,
  INTERNAL: 500,
};
