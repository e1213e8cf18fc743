import { type Agent, type ClientRequest, request as httpRequest, type IncomingHttpHeaders } from "node:http";

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method: "GET" | "POST" | "DELETE";
  headers?: Record<string, string>;
  body?: string;
  agent: Agent;
  timeoutMs: number;
}

/**
 * One buffered HTTP request over a keep-alive agent. node:http rather than fetch: it costs the load
 * generator less CPU per call, and on two cores that CPU would otherwise be taken from the server.
 */
export function request(url: URL, { method, headers = {}, body, agent, timeoutMs }: RequestOptions) {
  assertLoopback(url);
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${url.pathname} timed out after ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end(body);
  });
}

export interface EventStream {
  /** Resolves with the response once its headers arrive; rejects on a non-2xx status. */
  opened: Promise<HttpResponse>;
  close(): void;
}

/** A long-lived GET whose body chunks go to `onChunk` as they arrive (an SSE stream). */
export function openStream(
  url: URL,
  {
    headers,
    agent,
    onChunk,
    onEnd,
  }: { headers: Record<string, string>; agent: Agent; onChunk(chunk: string): void; onEnd(): void },
): EventStream {
  assertLoopback(url);
  let req: ClientRequest | undefined;
  const opened = new Promise<HttpResponse>((resolve, reject) => {
    req = httpRequest(url, { method: "GET", headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        res.resume();
        reject(new Error(`GET ${url.pathname} answered ${status}`));
        return;
      }
      res.setEncoding("utf8");
      res.on("data", onChunk);
      res.on("end", onEnd);
      res.on("error", onEnd);
      resolve({ status, headers: res.headers, body: "" });
    });
    req.on("error", reject);
    req.end();
  });
  return {
    opened,
    close() {
      req?.destroy();
    },
  };
}

/** `Authorization: Bearer <token>` when a token is given, nothing otherwise (a server without auth). */
export function authHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** The benchmark only ever talks to servers it started on this machine. */
export function assertLoopback(url: URL): void {
  if (url.hostname !== "127.0.0.1") throw new Error(`Refusing a non-loopback target: ${url.href}`);
}
