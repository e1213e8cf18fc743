import type { AppContext, Principal } from "@mcp-tools/core";
import { busUnavailable, ownerNotAnswering, sessionNotFound } from "../json-rpc.js";
import type { JsonRpcBody } from "../read-body.js";
import type { DirectoryEntry, SessionDirectory } from "./directory.js";
import { createRelay, type Relay, type RelayHandlers, type RelayRoute } from "./relay.js";
import { WITHHELD_HEADER } from "./relay-owner.js";
import { sessionKey } from "./session-key.js";

/** What a route hands over when the session it was asked for is not held here. */
export interface ElsewhereRequest {
  route: RelayRoute;
  kind: DirectoryEntry["kind"];
  sessionId: string;
  principal: Principal;
  request: Request;
  body?: JsonRpcBody;
}

/**
 * This process among the others serving MCP: the session directory and the relay, so that any
 * process answers a request for any session. With the in-process bus there are no others, and a
 * session not held here is simply not found.
 */
export interface SessionCluster {
  /** Answers a request for a session this process does not hold: relayed to its owner, or 404. */
  forward(request: ElsewhereRequest): Promise<Response>;
  /** Takes relayed requests from now on. */
  listen(): Promise<void>;
  /** Ends the GET streams relayed to this process's clients; relayed POSTs are still answered. */
  endStreams(): void;
  /** Ends relayed responses in both directions. */
  close(): Promise<void>;
}

// The headers a Streamable HTTP or legacy POST handler reads; everything else stays at the edge.
// The session id is not among them: the owner knows it from the session's key.
const RELAYED_HEADERS = ["accept", "content-type", "mcp-protocol-version", "last-event-id"];

/**
 * What signs relay frames when RELAY_SECRET is unset (allowed outside production): anyone can
 * forge frames signed with it, so the start-up log says so when the relay crosses Redis.
 */
const PUBLIC_RELAY_SECRET = "mcp-tools relay: RELAY_SECRET is not set";

export interface SessionClusterOptions {
  /** Where sessions are found: the directory the session registry records its sessions in. */
  directory: SessionDirectory;
  /** How requests relayed here are answered: as the same requests made to this process. */
  handlers: RelayHandlers;
}

export function createSessionCluster(
  ctx: AppContext,
  { directory, handlers }: SessionClusterOptions,
): SessionCluster {
  const { config, log } = ctx;
  const processId = ctx.presence.processId;
  const relay: Relay = createRelay({
    handlers,
    bus: ctx.bus,
    processId,
    secret: config.RELAY_SECRET ?? PUBLIC_RELAY_SECRET,
    log,
    metrics: ctx.metrics,
    lifecycle: ctx.lifecycle,
  });

  return {
    async forward({ route, kind, sessionId, principal, request, body }) {
      let entry: DirectoryEntry | undefined;
      try {
        entry = await directory.lookup(sessionId);
      } catch {
        return busUnavailable();
      }
      // Another key's session is "not found", not "forbidden": a session id reveals nothing to a stranger.
      if (!entry || entry.owner === processId || entry.kind !== kind || entry.principalId !== principal.id)
        return sessionNotFound();
      const headers: Record<string, string> = {};
      for (const name of RELAYED_HEADERS) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const result = await relay.forward(entry.owner, {
        route,
        session: sessionKey(sessionId),
        principalId: principal.id,
        method: request.method,
        headers,
        body,
      });
      ctx.metrics.relayedRequests.inc({ route, outcome: result.ok ? "answered" : result.reason });
      if (result.ok) {
        if (result.response.status === 404) directory.evict(sessionId);
        if (result.response.headers.has(WITHHELD_HEADER))
          result.response.headers.set(WITHHELD_HEADER, sessionId);
        return result.response;
      }
      directory.evict(sessionId);
      if (result.reason === "bus-down") return busUnavailable();
      if (result.reason === "no-answer") return ownerNotAnswering();
      // Nobody listens on the owner's channel: it has died, and its sessions with it.
      await directory.remove(sessionId).catch(() => undefined);
      return sessionNotFound();
    },
    endStreams: () => relay.endStreams(),
    async listen() {
      if (config.REDIS_URL !== undefined && config.RELAY_SECRET === undefined)
        log.warn(
          "RELAY_SECRET is not set: replicas relay requests over Redis with frames anyone who reaches Redis can forge; set it (required in production)",
        );
      await relay.listen();
    },
    async close() {
      await relay.close();
    },
  };
}
