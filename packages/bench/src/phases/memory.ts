import type { BenchOptions } from "../options.js";
import type { MemoryEntry } from "../results.js";
import { type IdleKind, idleSessionMemory } from "../scenarios/idle-memory.js";
import { serverOf, startServers, stopServers } from "../servers/set.js";
import { orderFor, type TargetName } from "../targets.js";
import { logMemory } from "./progress.js";

const idleKinds: { kind: IdleKind; title: string }[] = [
  { kind: "streamable", title: "idle /mcp sessions" },
  { kind: "streamable-listening", title: "idle /mcp + GET stream" },
  { kind: "legacy-sse", title: "idle /sse sessions" },
];

/** Idle sessions are a 2025-era (and older) cost: SDK v2's 2026-07-28 path holds none. */
const MEASURED: readonly TargetName[] = ["bare", "ours"];

/**
 * Memory per idle session, each kind on a fresh pair of servers: pages an earlier run made the
 * process map stay mapped, and would make the next run's resident set grow less (or shrink).
 */
export async function runIdleMemory(options: BenchOptions): Promise<MemoryEntry[]> {
  if (!options.only.has("memory")) return [];
  const entries: MemoryEntry[] = [];
  for (const [index, { kind, title }] of idleKinds.entries()) {
    const entry: MemoryEntry = { kind, title: `${title} ×${options.idleSessions}`, results: {} };
    const servers = await startServers(MEASURED);
    try {
      for (const name of orderFor(index, MEASURED)) {
        const result = await idleSessionMemory(serverOf(servers, name), kind, options.idleSessions);
        entry.results[name] = result;
        logMemory(entry.title, name, result);
      }
    } finally {
      await stopServers(servers);
    }
    entries.push(entry);
  }
  return entries;
}
