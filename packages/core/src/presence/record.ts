import { createHash } from "node:crypto";
import { z } from "zod";

/** Keys and channels of presence on the bus. */
export const PRESENCE_INDEX_KEY = "presence:processes";
export const presenceKey = (processId: string) => `presence:process:${processId}`;
export const TERMINATE_CHANNEL = "sessions:terminate";

/** Most sessions one record lists; counts stay exact beyond it. */
export const MAX_LISTED_SESSIONS = 500;

/**
 * The id people and the admin API see for an MCP session: 16 hex digits of its SHA-256. The full id
 * is a bearer secret (whoever holds it can use the session), so it never leaves its process.
 */
export const publicSessionId = (sessionId: string): string =>
  createHash("sha256").update(sessionId).digest("hex").slice(0, 16);

/** One open MCP session, as its process reports it. */
export const PresenceSession = z.object({
  id: z.string(),
  transport: z.string(),
  principal: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  /** False for stdio: that session ends when its client closes stdin, not on request. */
  terminable: z.boolean(),
});
export type PresenceSession = z.infer<typeof PresenceSession>;

/** What each process publishes on every heartbeat. */
export const PresenceRecord = z.object({
  id: z.string(),
  pid: z.number(),
  host: z.string(),
  services: z.array(z.string()),
  startedAt: z.string(),
  lastBeat: z.string(),
  /** Open sessions by transport, exact. */
  sessions: z.record(z.string(), z.number()),
  /** Up to MAX_LISTED_SESSIONS of them, most recently active first. */
  activeSessions: z.array(PresenceSession),
  audit: z.object({ depth: z.number(), dropped: z.number() }),
});
export type PresenceRecord = z.infer<typeof PresenceRecord>;

/** The record in `text`, or undefined when it is missing or not one (a foreign or older writer). */
export function parseRecord(text: string | undefined): PresenceRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = PresenceRecord.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The index of process ids; tolerant of a missing or garbled value. */
export function parseIndex(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const parsed = z.array(z.string()).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
