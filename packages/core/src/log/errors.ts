import { sqlStateOf } from "../db/errors.js";

// drizzle's query errors read "Failed query: <sql>\nparams: <every parameter>": note bodies, audit
// batches, token hashes. Everything from this marker on is cut from whatever we log or store.
const PARAMS = "\nparams: ";
// Driver error fields that quote the data: the detail ("Key (x)=(…)") and the context ("JSON data, line 1: …").
const HIDDEN_FIELDS = new Set(["params", "parameters", "args", "detail", "where", "internal_query"]);
const MAX_CAUSES = 10;

/** Text without the query parameters a database error may quote. */
export function withoutQueryParameters(text: string): string {
  const at = text.indexOf(PARAMS);
  return at === -1 ? text : text.slice(0, at);
}

/** An error's message and its causes' ("outer: inner: driver"), without query parameters. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return withoutQueryParameters(String(error));
  return causesOf(error).map(messageOf).join(": ");
}

/**
 * The logger's `err` serializer: type, message and stack with their causes, the SQLSTATE, and the
 * error's own fields, but never a query's parameters nor the fields that quote the data.
 */
export function serializeError(value: unknown): unknown {
  if (typeof value === "string") return withoutQueryParameters(value);
  if (!(value instanceof Error)) return value;
  return serialize(value, new Set());
}

function serialize(error: Error, seen: Set<Error>): Record<string, unknown> {
  seen.add(error);
  const chain = causesOf(error);
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: chain.map(messageOf).join(": "),
    stack: chain.map(stackOf).join("\ncaused by: "),
  };
  for (const key in error) {
    if (key in out || key === "cause" || HIDDEN_FIELDS.has(key)) continue;
    const field = (error as unknown as Record<string, unknown>)[key];
    if (!(field instanceof Error)) out[key] = field;
    else if (!seen.has(field)) out[key] = serialize(field, seen);
  }
  // drizzle's error wraps the driver's: the SQLSTATE sits on a cause.
  out.code ??= sqlStateOf(error);
  return out;
}

function causesOf(error: Error): Error[] {
  const chain = [error];
  for (let cause = error.cause; cause instanceof Error && chain.length < MAX_CAUSES; cause = cause.cause) {
    if (chain.includes(cause)) break;
    chain.push(cause);
  }
  return chain;
}

const messageOf = (error: Error) => withoutQueryParameters(error.message);

// V8 starts a stack with "Name: message": keep the frames after it, with the message cut.
function stackOf(error: Error): string {
  const stack = error.stack ?? "";
  const header = error.message ? `${error.name}: ${error.message}` : error.name;
  if (stack.startsWith(header)) return `${withoutQueryParameters(header)}${stack.slice(header.length)}`;
  return stack.includes(PARAMS) ? withoutQueryParameters(header) : stack;
}
