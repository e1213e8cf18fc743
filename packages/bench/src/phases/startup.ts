import type { BenchOptions } from "../options.js";
import type { IdleEntry, SpawnEntry } from "../results-startup.js";
import { BENCH_NOTE } from "../scenarios/constants.js";
import { idleStdioMemory } from "../scenarios/idle-stdio.js";
import { spawnToAnswer } from "../scenarios/spawn-to-answer.js";
import { type Bundle, buildBundles, bundleCommand } from "../servers/bundles.js";
import { createDataFolders, type DataFolders } from "../servers/data-folders.js";
import { type FirstStart, idleScenarios, measureIdle } from "./startup-idle.js";
import { measureSpawns, spawnScenarios } from "./startup-spawn.js";

export interface StartupResults {
  spawn: SpawnEntry[];
  idle: IdleEntry[];
}

/**
 * Start-up and idle memory of the bundles as desktop clients and operators run them: spawn →
 * first answer over stdio (ours per data folder, SDK v1 beside it), then the resident set of idle
 * processes. Everything runs in one temporary folder, removed at the end.
 */
export async function runStartup(
  options: BenchOptions,
  databaseUrl: string | undefined,
): Promise<StartupResults> {
  const spawns = spawnScenarios.filter((scenario) => options.only.has(scenario.id));
  const idles = idleScenarios.filter((scenario) => options.only.has(scenario.id));
  if (spawns.length === 0 && idles.length === 0) return { spawn: [], idle: [] };
  const started = performance.now();
  const needed = new Set<Bundle>([
    ...spawns.flatMap((scenario): Bundle[] => (scenario.withBare ? ["stdio", "bare-stdio"] : ["stdio"])),
    ...idles.flatMap((scenario) => scenario.bundles),
    // The existing data folder is made by a first start of our stdio server.
    ...(idles.some((scenario) => scenario.existingFolder) ? (["stdio"] as const) : []),
  ]);
  await timed(`building ${[...needed].join(", ")} (pnpm run build)`, () => buildBundles([...needed]));
  const folders = await createDataFolders();
  try {
    // Made whenever our stdio server runs at all: also a start not counted, like SDK v1's below.
    const firstStart = needed.has("stdio") ? await startFirst(folders) : undefined;
    if (needed.has("bare-stdio")) await timed("a first start of SDK v1, not counted", primeBare);
    const spawn = await measureSpawns(spawns, options.spawns, { folders, existing: firstStart?.folder });
    const idle = await measureIdle(idles, { folders, firstStart, databaseUrl });
    console.log(`  start-up and idle memory: ${((performance.now() - started) / 1_000).toFixed(1)} s`);
    return { spawn, idle };
  } finally {
    await folders.removeAll();
  }
}

/**
 * Our stdio server's first start, in a new data folder, with a note saved: it makes the "existing"
 * folder the other scenarios start in, and its resident set is the idle-stdio-new figure.
 */
async function startFirst(folders: DataFolders): Promise<FirstStart> {
  const folder = folders.next("existing");
  const command = bundleCommand("stdio", { DATA_DIR: folder });
  const memory = await timed("a first start of mcp-tools in a new data folder, a note saved", () =>
    idleStdioMemory(command, (session) => session.callTool("note_save", BENCH_NOTE)),
  );
  return { folder, memory };
}

function primeBare(): Promise<number> {
  return spawnToAnswer(bundleCommand("bare-stdio"), "initialize");
}

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${what}: ${Math.round(performance.now() - started).toLocaleString("en-US")} ms`);
  return result;
}
