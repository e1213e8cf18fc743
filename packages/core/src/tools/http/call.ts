import type { Dispatcher } from "undici";
import { type EgressResponse, egressRequest } from "../../egress/request.js";
import { AppError } from "../../errors.js";
import { type HttpToolDefinition, IDEMPOTENT_METHODS } from "./definition.js";
import { type Args, jsonTemplate, type Secrets, Template } from "./template.js";

/** What an HTTP tool needs from the server: the way out, and the secrets its headers name. */
export interface HttpToolDeps {
  agent: Dispatcher;
  /** A secret's value by name; undefined when there is none by that name. */
  secret(name: string): Promise<string | undefined>;
}

const RETRY_STATUSES = new Set([502, 503, 504]);
const SNIPPET_CHARS = 300;

/**
 * An HTTP tool's request, its templates read once when the tool is served rather than on every
 * call. `call` calls the tool's service with a call's arguments and returns what becomes its
 * `structuredContent`. Every failure is an AppError a person can act on, with no secret in it:
 * a secret's value is blanked out of anything the service sends back.
 */
export class HttpToolCall {
  readonly #tool: HttpToolDefinition;
  readonly #deps: HttpToolDeps;
  readonly #url: Template;
  readonly #query: (readonly [string, Template])[];
  readonly #headers: (readonly [string, Template])[];
  readonly #secrets: string[];
  readonly #body: ((args: Args) => unknown) | undefined;
  readonly #attempts: number;
  readonly #pick: Pointer | undefined;

  constructor(tool: HttpToolDefinition, deps: HttpToolDeps) {
    const { request } = tool;
    this.#tool = tool;
    this.#deps = deps;
    this.#url = new Template(request.url);
    this.#query = Object.entries(request.query).map(([name, text]) => [name, new Template(text)] as const);
    this.#headers = Object.entries(request.headers).map(
      ([name, text]) => [name.toLowerCase(), new Template(text)] as const,
    );
    this.#secrets = [...new Set(this.#headers.flatMap(([, template]) => template.secrets))];
    this.#body = request.body === undefined ? undefined : jsonTemplate(request.body);
    this.#attempts = 1 + (IDEMPOTENT_METHODS.has(request.method) ? tool.retries : 0);
    this.#pick = tool.response.pick === undefined ? undefined : pointerOf(tool.response.pick);
  }

  async call(args: Args, signal: AbortSignal): Promise<Record<string, unknown>> {
    const secrets = this.#secrets.length > 0 ? await this.#secretsOf() : undefined;
    const headers = this.#headersOf(args, secrets);
    const body = this.#body && JSON.stringify(this.#body(args));
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const url = this.#urlOf(args);
    for (let attempt = 1; ; attempt += 1) {
      let answer: EgressResponse;
      try {
        answer = await egressRequest(this.#deps.agent, {
          method: this.#tool.request.method,
          url,
          headers,
          body,
          timeoutMs: this.#tool.timeoutMs,
          maxBytes: this.#tool.maxResponseBytes,
          signal,
        });
      } catch (error) {
        if (attempt < this.#attempts && error instanceof AppError && error.code === "BAD_GATEWAY") continue;
        throw error;
      }
      if (RETRY_STATUSES.has(answer.status) && attempt < this.#attempts) continue;
      return this.#resultOf(answer, secrets);
    }
  }

  async #secretsOf(): Promise<Secrets> {
    const secrets = new Map<string, string>();
    for (const name of this.#secrets) {
      const value = await this.#deps.secret(name);
      if (value === undefined) throw new AppError("INVALID", `The secret ${name} this tool sends is not set`);
      secrets.set(name, value);
    }
    return secrets;
  }

  #headersOf(args: Args, secrets: Secrets | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, template] of this.#headers) {
      const value = template.fill(args, undefined, secrets);
      if (value !== undefined) headers[name] = value;
    }
    return headers;
  }

  #urlOf(args: Args): string {
    const base = this.#url.fill(args, encodeURIComponent);
    if (base === undefined) throw new AppError("INVALID", "An argument the URL needs is missing");
    if (this.#query.length === 0) return base;
    const url = new URL(base);
    for (const [name, template] of this.#query) {
      const value = template.fill(args);
      if (value !== undefined) url.searchParams.append(name, value);
    }
    return url.href;
  }

  #resultOf(answer: EgressResponse, secrets: Secrets | undefined): Record<string, unknown> {
    const text = blankOut(answer.body.toString("utf8"), secrets);
    if (answer.status >= 400)
      throw new AppError("BAD_GATEWAY", `${whereOf(answer.url)} answered ${answer.status}: ${snippet(text)}`);
    const value = parsed(text, answer.headers["content-type"], answer.url);
    return structured(this.#pick ? pick(value, this.#pick, answer.url) : value);
  }
}

function parsed(text: string, contentType: unknown, url: string): unknown {
  if (typeof contentType !== "string" || !/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_GATEWAY", `${whereOf(url)} answered JSON that does not parse: ${snippet(text)}`);
  }
}

interface Pointer {
  text: string;
  keys: string[];
}

/** RFC 6901: `/items/0/name`, with ~1 for / and ~0 for ~. */
const pointerOf = (text: string): Pointer => ({
  text,
  keys: text
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~")),
});

function pick(value: unknown, pointer: Pointer, url: string): unknown {
  let current = value;
  for (const key of pointer.keys) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key))
      throw new AppError("BAD_GATEWAY", `${whereOf(url)} answered with nothing at ${pointer.text}`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `structuredContent` is an object (MCP §Tools): anything else goes under `result`. */
const structured = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { result: value };

function blankOut(text: string, secrets: Secrets | undefined): string {
  let clean = text;
  for (const value of secrets?.values() ?? [])
    if (value.length > 0) clean = clean.replaceAll(value, "[secret]");
  return clean;
}

/** Where an answer came from, said without its query (which may carry arguments). */
const whereOf = (href: string) => {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
};

const snippet = (text: string) =>
  (text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text) || "(empty)";
