import { type Dispatcher, errors } from "undici";
import { AppError } from "../errors.js";
import { Exchange, type ResponseHeaders, redirectOf } from "./exchange.js";

export interface EgressRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  /** The largest response body taken; a longer one fails the request. */
  maxBytes: number;
  maxRedirects?: number;
  /** The call's own end (its client cancelled). */
  signal?: AbortSignal;
}

export interface EgressResponse {
  status: number;
  headers: ResponseHeaders;
  /** The URL that answered, after redirects. */
  url: string;
  body: Buffer;
}

/**
 * One request through the egress agent: http and https only, every redirect followed by hand (so
 * each hop is a new, checked connection, and a redirect to another scheme is refused), the body
 * read up to `maxBytes`, everything within `timeoutMs`. Failures are AppErrors that say what
 * happened: FORBIDDEN (refused), TIMEOUT, BAD_GATEWAY (unreachable, too large, too many redirects).
 */
export async function egressRequest(agent: Dispatcher, input: EgressRequest): Promise<EgressResponse> {
  const { maxRedirects = 5, signal } = input;
  let { method, body, headers } = input;
  let url = checkedUrl(input.url);
  let hop: Exchange | undefined;
  let stopped: { reason: unknown } | undefined;
  const stop = (reason: unknown) => {
    stopped ??= { reason };
    hop?.abort(stopped.reason);
  };
  // One timer for the whole exchange, cleared with it: AbortSignal.timeout + AbortSignal.any left
  // a timer pending for the whole timeout after every call on Node 20, and cost more CPU.
  const timer = setTimeout(
    () =>
      stop(
        new AppError("TIMEOUT", `${url.origin}${url.pathname} did not answer within ${input.timeoutMs} ms`),
      ),
    input.timeoutMs,
  );
  timer.unref();
  const onAbort = () => stop(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (let hops = 0; ; hops += 1) {
      if (stopped) throw stopped.reason;
      hop = new Exchange(url.origin, input.maxBytes);
      agent.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
        },
        hop,
      );
      const answer = await hop.answer;
      const location = redirectOf(answer.status, answer.headers);
      if (location === undefined) return { ...answer, url: url.href };
      if (hops === maxRedirects)
        throw new AppError("BAD_GATEWAY", `${input.url} redirected more than ${maxRedirects} times`);
      const next = checkedUrl(new URL(location, url).href);
      // A tool's headers carry its secrets: they are for the origin it names, never for one that
      // origin redirects to (as fetch drops Authorization across origins, RFC 9110 §15.4).
      if (next.origin !== url.origin) headers = undefined;
      url = next;
      // RFC 9110 §15.4: after a 303 (and, as browsers do, a 301 or 302 to a POST) the next request is a GET.
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw stopped ? stopped.reason : described(error, url);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function checkedUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError("INVALID", `Not a URL: ${text.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("FORBIDDEN", `Refused: tools reach http and https URLs only, not ${url.protocol}`);
  if (url.username || url.password)
    throw new AppError("INVALID", "Credentials in a URL are not sent; use a header with a secret");
  return url;
}

/** What went wrong, said for the person reading the tool's result, without the URL's query. */
function described(error: unknown, url: URL): unknown {
  const where = `${url.origin}${url.pathname}`;
  const cause = error instanceof Error ? error : new Error(String(error));
  if (cause.cause instanceof AppError) return cause.cause;
  if (error instanceof errors.UndiciError || "code" in cause)
    return new AppError(
      "BAD_GATEWAY",
      `${where} could not be reached: ${(cause as { code?: string }).code ?? cause.message}`,
      { cause },
    );
  return new AppError("BAD_GATEWAY", `${where} failed: ${cause.message}`, { cause });
}
