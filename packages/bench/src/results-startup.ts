import type { ResidentMemory } from "./load/process-memory.js";
import { median } from "./load/stats.js";
import type { ScenarioId } from "./options.js";
import type { Target } from "./results.js";
import type { TargetName } from "./targets.js";

export type SpawnScenarioId = Extract<ScenarioId, `spawn-${string}`>;
export type IdleScenarioId = Extract<ScenarioId, `idle-${string}`>;

/** The request written to a server the moment it is spawned; its answer stops the clock. */
export type FirstRequest = "initialize" | "server/discover";

export interface SpawnEntry {
  id: SpawnScenarioId;
  title: string;
  first: FirstRequest;
  /** Milliseconds from spawn to the first answer, one per spawn; a server the scenario does not run has none. */
  runs: Partial<Record<TargetName, number[]>>;
}

export interface IdleEntry {
  id: IdleScenarioId;
  title: string;
  /** What the process held after one call and a settle. */
  results: Partial<Record<TargetName, ResidentMemory>>;
  /** Why it did not run: the PostgreSQL row without DATABASE_URL. */
  skipped?: string;
}

export const MB = 1024 * 1024;

/** Issue 10: spawn → `initialize` answered within this many times SDK v1's, whatever the data folder. */
export const SPAWN_RATIO_LIMIT = 1.5;

/**
 * Issue 10: an idle stdio server with its database open (three, each with its own data folder, in
 * 600 MB), and the launcher with the embedded database; on a new folder too, since a first start's
 * process keeps what it grew to until it exits. The PostgreSQL launcher is for reference.
 */
export const IDLE_RSS_LIMITS_MB: Partial<Record<IdleScenarioId, number>> = {
  "idle-stdio": 200,
  "idle-stdio-new": 200,
  "idle-launcher": 300,
  "idle-launcher-new": 300,
};

/** Spawn → `initialize` against SDK v1 for each data folder, and the idle resident sets. */
export function evaluateStartupTargets(spawn: readonly SpawnEntry[], idle: readonly IdleEntry[]): Target[] {
  const targets: Target[] = [];
  for (const entry of spawn) {
    const ours = entry.runs.ours ?? [];
    const bare = entry.runs.bare ?? [];
    if (entry.first !== "initialize" || ours.length === 0 || bare.length === 0) continue;
    const value = median(ours) / median(bare);
    targets.push({
      row: entry.id,
      figure: "first answer",
      name: `spawn → initialize answered, ${entry.title}`,
      value,
      comparison: "≤",
      limit: SPAWN_RATIO_LIMIT,
      unit: "× SDK v1",
      pass: value <= SPAWN_RATIO_LIMIT,
    });
  }
  for (const entry of idle) {
    const limit = IDLE_RSS_LIMITS_MB[entry.id];
    const ours = entry.results.ours;
    if (limit === undefined || !ours) continue;
    const value = ours.rss / MB;
    targets.push({
      row: entry.id,
      figure: "rss",
      name: `idle resident memory, ${entry.title}`,
      value,
      comparison: "≤",
      limit,
      unit: "MB",
      pass: value <= limit,
    });
  }
  return targets;
}
