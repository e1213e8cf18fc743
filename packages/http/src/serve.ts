import { type IncomingMessage, Server, type ServerResponse } from "node:http";
import { type AddressInfo, Server as NetServer } from "node:net";
import { serve } from "@hono/node-server";

// @hono/node-server does not export the type of its fetch callback.
type FetchCallback = Parameters<typeof serve>[0]["fetch"];

export interface ServeAppOptions {
  host: string;
  /** 0 picks a free port; the handle says which. */
  port: number;
}

export interface CloseOptions {
  /** How long connections may stay open before they are cut. */
  graceMs?: number;
}

/**
 * How long a draining server leaves idle connections for their clients to close before cutting
 * them: proxies close theirs within seconds (nginx, as configured in deploy/, after 4 s).
 */
const DRAINED_IDLE_WAIT_MS = 4_000;

/** A listening server. */
export interface ServedApp {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, with IPv6 hosts in brackets. */
  readonly url: string;
  /**
   * Stops taking connections but leaves the open ones be: a request already on its way over a
   * kept-alive connection is answered, with `Connection: close`. Closing an idle connection would
   * reset such a request, and a proxy does not resend a POST it has sent. Clients close their
   * idle connections themselves (a proxy's keep-alive timeout is shorter than ours).
   */
  drain(): void;
  /**
   * Stops accepting and resolves once every connection has ended. Idle keep-alive connections are
   * closed at once, unless the server is draining (see `drain`); busy ones, and any left, are cut
   * after `graceMs` (default 1 s, or 4 s once draining). End long-lived streams first: the server
   * counts an open SSE response as busy.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** Serves a Hono app (anything with `fetch`) with @hono/node-server; resolves once listening. */
export function serveApp(app: { fetch: FetchCallback }, { host, port }: ServeAppOptions): Promise<ServedApp> {
  const state = { draining: false };
  // Unwrapped while serving normally: no extra promise on every request's path.
  const fetch: FetchCallback = (request, env) => {
    if (!state.draining) return app.fetch(request, env);
    return Promise.resolve(app.fetch(request, env)).then((response) => {
      // A Connection header of the response's own (SSE responses carry "keep-alive") would win
      // over the close a draining server sets.
      if (response instanceof Response) response.headers.delete("connection");
      return response;
    });
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, (address: AddressInfo) => {
      server.off("error", reject);
      if (!(server instanceof Server)) {
        reject(new Error("serveApp expects an HTTP/1.1 server"));
        return;
      }
      server.prependListener("request", (_request: IncomingMessage, response: ServerResponse) => {
        if (state.draining) response.setHeader("connection", "close");
      });
      resolve(servedApp(server, state, host, address.port));
    });
    server.once("error", reject);
  });
}

function servedApp(server: Server, state: { draining: boolean }, host: string, port: number): ServedApp {
  let ended: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  // net.Server's close, not http.Server's, which also closes the idle keep-alive connections.
  // Resolves once the last connection has ended. Closing a listener resets the connections the
  // kernel has queued for it but Node has not accepted yet, and a proxy never resends a POST it
  // has sent on one: so close only once the loop has polled again, accepting every connection
  // that was waiting when we were asked (by a signal handler, say, while the loop was busy).
  const stopListening = () => {
    ended ??= new Promise<void>((resolve, reject) => {
      afterNextPoll(() =>
        NetServer.prototype.close.call(server, (error?: Error) => (error ? reject(error) : resolve())),
      );
    });
    return ended;
  };
  const close = ({ graceMs }: CloseOptions = {}) => {
    closing ??= new Promise<void>((resolve, reject) => {
      const polite = state.draining;
      graceMs ??= polite ? DRAINED_IDLE_WAIT_MS : 1_000;
      state.draining = true;
      // A connection that finishes its last response after close() is not closed by Node itself.
      const sweep = polite ? undefined : setInterval(() => server.closeIdleConnections(), 25);
      if (!polite) server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      stopListening()
        .then(resolve, reject)
        .finally(() => {
          clearInterval(sweep);
          clearTimeout(cut);
        });
    });
    return closing;
  };
  const drain = () => {
    state.draining = true;
    stopListening().catch(() => undefined);
  };
  const hostInUrl = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return { host, port, url: `http://${hostInUrl}:${port}`, drain, close };
}

/**
 * Runs `callback` after the event loop's next poll phase: an immediate set from an immediate runs
 * in the following iteration's check phase, which comes after that iteration's poll.
 */
function afterNextPoll(callback: () => void) {
  setImmediate(() => setImmediate(callback));
}
