import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

type RequestHandler = (request: unknown, extra: unknown) => Promise<unknown>;
interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

const MAX_MESSAGE_CHARS = 200;

/**
 * Answers a request whose params do not fit its method's schema (`tools/call` with `arguments` an
 * array, say) with -32602 Invalid params and one line naming the field, as JSON-RPC 2.0 §5.1 asks.
 * The SDK parses params inside each handler it registers and lets the parse error through as
 * -32603 Internal error carrying the whole validation dump: the wrong code, and noise for the
 * client. Covers the handlers registered so far; call it after the last `setRequestHandler`.
 */
export function answerMalformedParams(server: Server): void {
  // The SDK keeps its handlers private; v1 offers no hook around its own parse, so we reach in here,
  // in the one file that knows the SDK's server API.
  const handlers = (server as unknown as { _requestHandlers: Map<string, RequestHandler> })._requestHandlers;
  for (const [method, handler] of handlers) {
    handlers.set(method, (request, extra) => {
      try {
        return handler(request, extra);
      } catch (error) {
        // The parse runs synchronously, before the handler: only its errors are caught here.
        throw isValidationError(error) ? invalidParams(method, error.issues) : error;
      }
    });
  }
}

// The SDK parses with zod's core API, whose errors are `$ZodError`s rather than classic `ZodError`s.
function isValidationError(error: unknown): error is { issues: Issue[] } {
  if (!(error instanceof Error) || !error.name.endsWith("ZodError")) return false;
  return Array.isArray((error as { issues?: unknown }).issues);
}

/** -32602 naming the first bad field, for a request parsed outside a registered handler. */
export function invalidParams(method: string, issues: readonly Issue[]): McpError {
  const [first] = issues;
  const field = first?.path.filter((part) => part !== "params").join(".") || "params";
  const detail = oneLine(first?.message ?? "is invalid");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${field}: ${detail}${more}`);
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").slice(0, MAX_MESSAGE_CHARS);
