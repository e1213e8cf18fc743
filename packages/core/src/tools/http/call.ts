import type { Dispatcher } from "undici";
import { egressRequest } from "../../egress/request.js";
import { AppError } from "../../errors.js";
import { type HttpToolDefinition, IDEMPOTENT_METHODS } from "./definition.js";
import { fill, fillJson, placeholdersOf, textOf } from "./template.js";

/** What an HTTP tool needs from the server: the way out, and the secrets its headers name. */
export interface HttpToolDeps {
  agent: Dispatcher;
  /** A secret's value by name; undefined when there is none by that name. */
  secret(name: string): Promise<string | undefined>;
}

const RETRY_STATUSES = new Set([502, 503, 504]);
const SNIPPET_CHARS = 300;
/** `{secret:NAME}` in a header template. */
const SECRET = "secret:";

/**
 * Calls the tool's service with the call's arguments and returns what becomes its
 * `structuredContent`. Every failure is an AppError a person can act on, with no secret in it:
 * a secret's value is blanked out of anything the service sends back.
 */
export async function callHttpTool(
  tool: HttpToolDefinition,
  args: Record<string, unknown>,
  deps: HttpToolDeps,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const { request } = tool;
  const secrets = new Map<string, string>();
  const headers = await headersOf(tool, args, deps, secrets);
  const body = request.body === undefined ? undefined : JSON.stringify(fillJson(request.body, args));
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const attempts = 1 + (IDEMPOTENT_METHODS.has(request.method) ? tool.retries : 0);
  const url = urlOf(tool, args);
  for (let attempt = 1; ; attempt += 1) {
    const answer = await egressRequest(deps.agent, {
      method: request.method,
      url,
      headers,
      ...(body !== undefined && { body }),
      timeoutMs: tool.timeoutMs,
      maxBytes: tool.maxResponseBytes,
      signal,
    }).catch((error: unknown) => {
      if (attempt < attempts && error instanceof AppError && error.code === "BAD_GATEWAY") return undefined;
      throw error;
    });
    if (!answer || (RETRY_STATUSES.has(answer.status) && attempt < attempts)) continue;
    const text = blankOut(answer.body.toString("utf8"), secrets);
    const where = whereOf(answer.url);
    if (answer.status >= 400)
      throw new AppError("BAD_GATEWAY", `${where} answered ${answer.status}: ${snippet(text)}`);
    return structured(pick(parsed(text, answer.headers["content-type"], where), tool.response.pick, where));
  }
}

function urlOf(tool: HttpToolDefinition, args: Record<string, unknown>): string {
  const base = fill(tool.request.url, (name) => textOf(args[name]), encodeURIComponent);
  if (base === undefined) throw new AppError("INVALID", "An argument the URL needs is missing");
  const url = new URL(base);
  for (const [name, text] of Object.entries(tool.request.query)) {
    const value = fill(text, (arg) => textOf(args[arg]));
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.href;
}

async function headersOf(
  tool: HttpToolDefinition,
  args: Record<string, unknown>,
  deps: HttpToolDeps,
  secrets: Map<string, string>,
): Promise<Record<string, string>> {
  for (const text of Object.values(tool.request.headers))
    for (const placeholder of placeholdersOf(text)) {
      if (!placeholder.startsWith(SECRET)) continue;
      const name = placeholder.slice(SECRET.length);
      const value = await deps.secret(name);
      if (value === undefined) throw new AppError("INVALID", `The secret ${name} this tool sends is not set`);
      secrets.set(name, value);
    }
  const headers: Record<string, string> = {};
  for (const [name, text] of Object.entries(tool.request.headers)) {
    const value = fill(text, (key) =>
      key.startsWith(SECRET) ? secrets.get(key.slice(SECRET.length)) : textOf(args[key]),
    );
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

function parsed(text: string, contentType: unknown, where: string): unknown {
  if (typeof contentType !== "string" || !/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_GATEWAY", `${where} answered JSON that does not parse: ${snippet(text)}`);
  }
}

/** RFC 6901: `/items/0/name`, with ~1 for / and ~0 for ~. */
function pick(value: unknown, pointer: string | undefined, where: string): unknown {
  if (!pointer) return value;
  let current = value;
  for (const token of pointer.split("/").slice(1)) {
    const key = token.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key))
      throw new AppError("BAD_GATEWAY", `${where} answered with nothing at ${pointer}`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `structuredContent` is an object (MCP §Tools): anything else goes under `result`. */
const structured = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { result: value };

function blankOut(text: string, secrets: Map<string, string>): string {
  let clean = text;
  for (const value of secrets.values()) if (value.length > 0) clean = clean.replaceAll(value, "[secret]");
  return clean;
}

const whereOf = (href: string) => {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
};

const snippet = (text: string) =>
  (text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text) || "(empty)";
