import type { Bus } from "../bus/bus.js";
import { PRESENCE_INDEX_KEY, type PresenceRecord, parseIndex, presenceKey } from "./record.js";

/**
 * Writes a process's record, then its id into the index, dropping the ids whose record expired
 * (their process stopped beating). The index is read-modify-write: a concurrent writer may drop
 * this id, and its next beat puts it back.
 */
export async function publishRecord(bus: Bus, record: PresenceRecord, ttlMs: number): Promise<void> {
  await bus.set(presenceKey(record.id), JSON.stringify(record), { ttlMs });
  const others = parseIndex(await bus.get(PRESENCE_INDEX_KEY)).filter((id) => id !== record.id);
  const alive = await Promise.all(
    others.map(async (id) => ((await bus.get(presenceKey(id))) === undefined ? undefined : id)),
  );
  const index = [...alive.filter((id) => id !== undefined), record.id];
  await bus.set(PRESENCE_INDEX_KEY, JSON.stringify(index), { ttlMs });
}

/** Removes a process's record and index entry at once, rather than letting them expire. */
export async function withdrawRecord(bus: Bus, processId: string, ttlMs: number): Promise<void> {
  try {
    await bus.delete(presenceKey(processId));
    const index = parseIndex(await bus.get(PRESENCE_INDEX_KEY)).filter((id) => id !== processId);
    await bus.set(PRESENCE_INDEX_KEY, JSON.stringify(index), { ttlMs });
  } catch {
    // The record expires on its own within three beats.
  }
}
