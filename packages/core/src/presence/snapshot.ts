import { hostname } from "node:os";
import type { AuditQueue } from "../audit/queue.js";
import { MAX_LISTED_SESSIONS, type PresenceRecord, type PresenceSession } from "./record.js";

/** An open session as a service knows it; `id` is already the public id (`publicSessionId`). */
export interface LocalSession {
  id: string;
  transport: string;
  principal: string;
  startedAt: number;
  lastActivityAt: number;
  terminable: boolean;
}

/** A service taking part in this process's heartbeat. */
export interface PresenceSource {
  service: string;
  /** Its open sessions now; read once a beat, so it must be cheap. */
  sessions?: () => LocalSession[];
  /** Closes the session with this public id; resolves true when the session was here. */
  terminate?: (publicId: string) => Promise<boolean>;
  /**
   * Renews what the service keeps on the bus with a TTL (which process owns which session, say):
   * run on every beat, so a process has one heartbeat for all it holds. Must not reject.
   */
  refresh?: () => Promise<void>;
}

export interface SnapshotInput {
  processId: string;
  startedAt: string;
  sources: Iterable<PresenceSource>;
  audit?: Pick<AuditQueue, "depth" | "dropped"> | undefined;
  now: () => number;
}

/** This process's presence record as of now: its services, session counts and sessions. */
export function snapshot({ processId, startedAt, sources, audit, now }: SnapshotInput): PresenceRecord {
  const all: PresenceSession[] = [];
  const counts: Record<string, number> = {};
  const services = new Set<string>();
  for (const source of sources) {
    services.add(source.service);
    for (const session of source.sessions?.() ?? []) {
      counts[session.transport] = (counts[session.transport] ?? 0) + 1;
      all.push({
        ...session,
        startedAt: new Date(session.startedAt).toISOString(),
        lastActivityAt: new Date(session.lastActivityAt).toISOString(),
      });
    }
  }
  all.sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
  return {
    id: processId,
    pid: process.pid,
    host: hostname(),
    services: [...services],
    startedAt,
    lastBeat: new Date(now()).toISOString(),
    sessions: counts,
    activeSessions: all.slice(0, MAX_LISTED_SESSIONS),
    audit: { depth: audit?.depth ?? 0, dropped: audit?.dropped ?? 0 },
  };
}
