import type { StdioCommand } from "../clients/stdio-process.js";
import type { FirstRequest, SpawnEntry, SpawnScenarioId } from "../results-startup.js";
import { spawnToAnswer } from "../scenarios/spawn-to-answer.js";
import { bundleCommand } from "../servers/bundles.js";
import type { DataFolders } from "../servers/data-folders.js";
import { orderFor, type TargetName } from "../targets.js";
import { logSpawn } from "./progress.js";

/** Where our server keeps its database: the folder of an earlier start, a new one, or memory. */
type Folder = "existing" | "new" | "memory";

export interface SpawnScenario {
  id: SpawnScenarioId;
  title: string;
  first: FirstRequest;
  folder: Folder;
  /** SDK v1 beside ours, spawned in the same round; not where it cannot answer (server/discover). */
  withBare: boolean;
}

export const spawnScenarios: SpawnScenario[] = [
  {
    id: "spawn-existing",
    title: "existing data folder",
    first: "initialize",
    folder: "existing",
    withBare: true,
  },
  { id: "spawn-new", title: "new data folder", first: "initialize", folder: "new", withBare: true },
  { id: "spawn-memory", title: "DATA_DIR=memory://", first: "initialize", folder: "memory", withBare: true },
  {
    id: "spawn-discover",
    title: "existing folder, 2026-07-28",
    first: "server/discover",
    folder: "existing",
    withBare: false,
  },
];

export interface SpawnPlaces {
  folders: DataFolders;
  /** The folder an earlier start created; needed by the scenarios on an existing folder. */
  existing: string | undefined;
}

/**
 * `spawns` rounds; in each, every scenario spawns ours and SDK v1 one after the other, the order
 * reversed every other round so that drift on a shared machine favours neither. Each process has
 * exited before the next is spawned: two starting at once on two cores would measure each other.
 */
export async function measureSpawns(
  scenarios: readonly SpawnScenario[],
  spawns: number,
  places: SpawnPlaces,
): Promise<SpawnEntry[]> {
  const entries = scenarios.map(({ id, title, first }): SpawnEntry => ({ id, title, first, runs: {} }));
  for (let round = 0; round < spawns; round += 1) {
    for (const [index, scenario] of scenarios.entries()) {
      const names: TargetName[] = scenario.withBare ? ["bare", "ours"] : ["ours"];
      for (const name of orderFor(round, names)) {
        const ms = await spawnOnce(scenario, name, places);
        const runs = entries[index]?.runs;
        if (runs) runs[name] = [...(runs[name] ?? []), ms];
        logSpawn(round, scenario.title, name, ms);
      }
    }
  }
  return entries;
}

async function spawnOnce(scenario: SpawnScenario, name: TargetName, places: SpawnPlaces): Promise<number> {
  if (name !== "ours") return spawnToAnswer(bundleCommand("bare-stdio"), scenario.first);
  if (scenario.folder === "memory") return spawnToAnswer(ours("memory://"), scenario.first);
  if (scenario.folder === "existing") {
    if (!places.existing) throw new Error(`${scenario.id} needs an existing data folder`);
    return spawnToAnswer(ours(places.existing), scenario.first);
  }
  const folder = places.folders.next("new");
  let ms: number;
  try {
    ms = await spawnToAnswer(ours(folder), scenario.first);
  } catch (error) {
    // The spawn's failure is the news, not a folder a killed server's initdb still writes to.
    await places.folders.remove(folder).catch(() => undefined);
    throw error;
  }
  await places.folders.remove(folder);
  return ms;
}

/** Our stdio server as the README's desktop client configuration runs it: DATA_DIR and nothing else. */
const ours = (dataDir: string): StdioCommand => bundleCommand("stdio", { DATA_DIR: dataDir });
