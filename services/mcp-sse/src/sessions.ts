import { randomBytes } from "node:crypto";
import type { Metrics } from "@mcp-tools/core";
import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { SessionDirectory } from "./cluster/directory.js";
import { sessionKey } from "./cluster/session-key.js";
import type { SessionQuota } from "./cluster/session-quota.js";
import type { SessionCalls } from "./in-flight.js";
import type { SseServerTransport } from "./sse-transport.js";

interface SessionBase {
  readonly id: string;
  /** Who opened it; a request from anyone else is answered as if the session did not exist. */
  readonly principalId: string;
  /** When a request last touched the session (ms since epoch); `add` and `use` stamp it. */
  lastSeen: number;
  /** Streams open to the client; a session with one is connected, not idle. */
  openStreams: number;
  /** Its requests awaiting answers, counted against its caller. */
  readonly calls: SessionCalls;
  /** Closes the session's MCP server and transport, ending its streams. */
  close(): Promise<void>;
}

export interface StreamableSession extends SessionBase {
  readonly kind: "streamable-http";
  readonly transport: WebStandardStreamableHTTPServerTransport;
}

export interface SseSession extends SessionBase {
  readonly kind: "sse";
  readonly transport: SseServerTransport;
}

export type Session = StreamableSession | SseSession;

/**
 * The session if it is of this kind and was opened by this principal. Another key's session is
 * "not found", not "forbidden": a session id reveals nothing to a stranger.
 */
export function sessionOf<K extends Session["kind"]>(
  session: Session | undefined,
  kind: K,
  principalId: string,
): Extract<Session, { kind: K }> | undefined {
  if (session?.kind !== kind || session.principalId !== principalId) return undefined;
  return session as Extract<Session, { kind: K }>;
}

/** What the registry tells about a session, for presence; the id is the full (secret) id. */
export interface SessionInfo {
  id: string;
  kind: Session["kind"];
  principalId: string;
  /** When it was added (ms since epoch). */
  startedAt: number;
  lastSeen: number;
}

/** The open sessions of one app, both transports, by id. */
export interface SessionRegistry {
  readonly size: number;
  /** False once `stopAccepting` or `closeAll` has run: new sessions are refused from then on. */
  readonly accepting: boolean;
  /**
   * The open session with this id, marked as used now; undefined when unknown, closed, expired, or
   * once the registry stops accepting (a draining process takes no new requests for its sessions).
   */
  use(id: string): Session | undefined;
  /** As `use`, for the session whose key (session-key.ts) this is: how a relayed request names it. */
  useByKey(key: string): Session | undefined;
  /**
   * Registers a session; one added after `closeAll` began is closed at once. Resolves once the
   * directory has it, so that another process can find it when the client's next request lands there.
   */
  add(session: Session): Promise<void>;
  /** The open sessions, without their transports. */
  list(): SessionInfo[];
  /** Closes one session (an operator ended it); false when there is none with this id. */
  close(id: string): Promise<boolean>;
  /** Forgets a session that has closed. Safe to call more than once. */
  remove(id: string): void;
  /** Closes the sessions idle for longer than the timeout; resolves to how many. */
  sweep(): Promise<number>;
  /**
   * Refuses new sessions and new requests for open ones (they answer 404, so clients re-initialize
   * elsewhere), and withdraws them from the directory; their in-flight requests still finish.
   */
  stopAccepting(): void;
  /** Stops accepting sessions, closes every open one (ending its streams) and stops the sweep timer. */
  closeAll(): Promise<void>;
}

export interface SessionRegistryOptions {
  /** SESSION_IDLE_TIMEOUT_MS. */
  idleTimeoutMs: number;
  /** Keeps `mcp_sessions_active{transport}` in step with the registry. */
  metrics?: Pick<Metrics, "sessionsActive">;
  /** Where other processes look up which process holds a session. */
  directory?: Pick<SessionDirectory, "claim" | "release">;
  /** Where each session holds its caller's place; a session removed gives it back at once. */
  quota?: Pick<SessionQuota, "release">;
  now?: () => number;
  /** How often to look for idle sessions; a fraction of the timeout, at most a minute, by default. */
  sweepIntervalMs?: number;
}

/** 256 random bits: a session id is the only thing standing between a client and someone else's session. */
export const generateSessionId = (): string => randomBytes(32).toString("base64url");

/**
 * A registry whose sweep timer runs only while it holds sessions, and never keeps the process alive.
 */
export function createSessionRegistry({
  idleTimeoutMs,
  metrics,
  directory,
  quota,
  now = Date.now,
  sweepIntervalMs = Math.max(10, Math.min(60_000, Math.ceil(idleTimeoutMs / 4))),
}: SessionRegistryOptions): SessionRegistry {
  const sessions = new Map<string, Session>();
  const startedAt = new Map<string, number>();
  // Session key → id, for relayed requests, which carry only the key.
  const idsByKey = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let accepting = true;

  const stopTimer = () => {
    clearInterval(timer);
    timer = undefined;
  };

  const registry: SessionRegistry = {
    get size() {
      return sessions.size;
    },
    get accepting() {
      return accepting;
    },
    use(id) {
      if (!accepting) return undefined;
      const session = sessions.get(id);
      if (session) session.lastSeen = now();
      return session;
    },
    useByKey(key) {
      const id = idsByKey.get(key);
      return id === undefined ? undefined : registry.use(id);
    },
    add(session) {
      session.lastSeen = now();
      sessions.set(session.id, session);
      idsByKey.set(sessionKey(session.id), session.id);
      startedAt.set(session.id, session.lastSeen);
      metrics?.sessionsActive.inc({ transport: session.kind });
      // Initialized while closeAll ran (its request was already in flight): it does not outlive the rest.
      if (!accepting) {
        void closeSession(session);
        return Promise.resolve();
      }
      if (!timer) {
        timer = setInterval(() => void registry.sweep(), sweepIntervalMs);
        timer.unref();
      }
      return directory?.claim(session) ?? Promise.resolve();
    },
    list() {
      return [...sessions.values()].map(({ id, kind, principalId, lastSeen }) => ({
        id,
        kind,
        principalId,
        startedAt: startedAt.get(id) ?? lastSeen,
        lastSeen,
      }));
    },
    async close(id) {
      const session = sessions.get(id);
      if (!session) return false;
      await closeSession(session);
      return true;
    },
    remove(id) {
      quota?.release(id);
      const session = sessions.get(id);
      if (!session) return;
      sessions.delete(id);
      startedAt.delete(id);
      idsByKey.delete(sessionKey(id));
      if (accepting) directory?.release(id);
      metrics?.sessionsActive.dec({ transport: session.kind });
      if (sessions.size === 0) stopTimer();
    },
    async sweep() {
      const cutoff = now() - idleTimeoutMs;
      const idle = [...sessions.values()].filter((s) => s.openStreams === 0 && s.lastSeen <= cutoff);
      await Promise.allSettled(idle.map(closeSession));
      return idle.length;
    },
    stopAccepting() {
      if (!accepting) return;
      accepting = false;
      for (const id of sessions.keys()) directory?.release(id);
    },
    async closeAll() {
      registry.stopAccepting();
      stopTimer();
      await Promise.allSettled([...sessions.values()].map(closeSession));
    },
  };

  // The transport's close callback normally removes the session; removing here as well means a
  // transport that fails to close cannot linger in the registry.
  async function closeSession(session: Session) {
    try {
      await session.close();
    } finally {
      registry.remove(session.id);
    }
  }

  return registry;
}
