import { recordAdminAction } from "../audit/admin.js";
import type { Bus } from "../bus/bus.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import {
  PRESENCE_INDEX_KEY,
  type PresenceRecord,
  type PresenceSession,
  parseIndex,
  parseRecord,
  presenceKey,
  TERMINATE_CHANNEL,
} from "./record.js";

/** The processes beating now, oldest first. */
export async function listProcesses(bus: Pick<Bus, "get">): Promise<PresenceRecord[]> {
  let records: Array<PresenceRecord | undefined>;
  try {
    const ids = parseIndex(await bus.get(PRESENCE_INDEX_KEY));
    records = await Promise.all(ids.map(async (id) => parseRecord(await bus.get(presenceKey(id)))));
  } catch (error) {
    throw new AppError("UNAVAILABLE", "The bus is unreachable: processes and sessions cannot be listed", {
      cause: error,
    });
  }
  return records
    .filter((record) => record !== undefined)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/** An open session and the process holding it. */
export interface SessionView extends PresenceSession {
  processId: string;
  host: string;
  pid: number;
}

/** Every listed session of every process, most recently active first. */
export async function listSessions(bus: Pick<Bus, "get">): Promise<SessionView[]> {
  const processes = await listProcesses(bus);
  return processes
    .flatMap((p) => p.activeSessions.map((s) => ({ ...s, processId: p.id, host: p.host, pid: p.pid })))
    .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
}

/** Open sessions by transport, summed over every process. */
export function sessionTotals(processes: PresenceRecord[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const process of processes) {
    for (const [transport, count] of Object.entries(process.sessions)) {
      totals[transport] = (totals[transport] ?? 0) + count;
    }
  }
  return totals;
}

/** The session with this public id; NOT_FOUND when no process lists it. */
export async function getSession(bus: Pick<Bus, "get">, id: string): Promise<SessionView> {
  const found = (await listSessions(bus)).find((session) => session.id === id);
  if (!found) throw new AppError("NOT_FOUND", `No open session with id ${JSON.stringify(id)}`);
  return found;
}

/**
 * Asks the process holding the session to close it, and audits who asked. Fire and forget over
 * pub/sub: the owner closes it within moments and beats at once, so the next listing shows it gone.
 */
export async function terminateSession(
  ctx: Pick<AppContext, "bus" | "db">,
  actor: string,
  id: string,
): Promise<SessionView> {
  const session = await getSession(ctx.bus, id);
  if (!session.terminable) {
    throw new AppError(
      "CONFLICT",
      `A ${session.transport} session ends when its client closes it; it cannot be ended from here`,
    );
  }
  // The request goes out inside the transaction that records it: no row, no request; a request
  // that cannot be sent rolls the row back.
  await ctx.db.db.transaction(async (tx) => {
    await recordAdminAction(tx, {
      actor,
      action: "session.terminated",
      targetType: "session",
      targetId: id,
      before: { transport: session.transport, principal: session.principal, processId: session.processId },
    });
    await ctx.bus.publish(TERMINATE_CHANNEL, JSON.stringify({ id }));
  });
  return session;
}
