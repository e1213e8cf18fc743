import { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

// @hono/node-server does not export the type of its fetch callback.
type FetchCallback = Parameters<typeof serve>[0]["fetch"];

export interface ServeAppOptions {
  host: string;
  /** 0 picks a free port; the handle says which. */
  port: number;
}

export interface CloseOptions {
  /** How long requests still being answered may take before their connections are cut. */
  graceMs?: number;
}

/** A listening server. */
export interface ServedApp {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, with IPv6 hosts in brackets. */
  readonly url: string;
  /**
   * Stops accepting, closes idle keep-alive connections at once and busy ones after `graceMs`
   * (default 1 s). Resolves when the listener is closed. End long-lived streams first: the server
   * counts an open SSE response as busy.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** Serves a Hono app (anything with `fetch`) with @hono/node-server; resolves once listening. */
export function serveApp(app: { fetch: FetchCallback }, { host, port }: ServeAppOptions): Promise<ServedApp> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (address: AddressInfo) => {
      server.off("error", reject);
      if (!(server instanceof Server)) {
        reject(new Error("serveApp expects an HTTP/1.1 server"));
        return;
      }
      resolve(servedApp(server, host, address.port));
    });
    server.once("error", reject);
  });
}

function servedApp(server: Server, host: string, port: number): ServedApp {
  let closing: Promise<void> | undefined;
  const close = ({ graceMs = 1_000 }: CloseOptions = {}) => {
    closing ??= new Promise<void>((resolve, reject) => {
      // A connection that finishes its last response after close() is not closed by Node itself.
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close((error) => {
        clearInterval(sweep);
        clearTimeout(cut);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  const hostInUrl = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return { host, port, url: `http://${hostInUrl}:${port}`, close };
}
