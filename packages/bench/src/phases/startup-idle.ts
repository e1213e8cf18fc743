import { createTestDatabase } from "@mcp-tools/core/testing";
import type { ResidentMemory } from "../load/process-memory.js";
import type { IdleEntry, IdleScenarioId } from "../results-startup.js";
import { BENCH_NOTE, ECHO_TEXT } from "../scenarios/constants.js";
import { idleLauncherMemory } from "../scenarios/idle-launcher.js";
import { idleStdioMemory } from "../scenarios/idle-stdio.js";
import { type Bundle, bundleCommand } from "../servers/bundles.js";
import type { DataFolders } from "../servers/data-folders.js";
import { logIdle } from "./progress.js";

export interface IdleNeeds {
  folders: DataFolders;
  /** The phase's first start of our stdio server (phases/startup.ts): the folder it made, and its reading. */
  firstStart: FirstStart | undefined;
  /** The PostgreSQL server the reference launcher row runs on, in a fresh database; skipped without it. */
  databaseUrl: string | undefined;
}

export interface FirstStart {
  folder: string;
  memory: ResidentMemory;
}

export interface IdleScenario {
  id: IdleScenarioId;
  title: string;
  bundles: Bundle[];
  /** Runs on the folder the first start made, as every later start on a desktop or a laptop does. */
  existingFolder: boolean;
  measure(needs: IdleNeeds): Promise<Omit<IdleEntry, "id" | "title">>;
}

export const idleScenarios: IdleScenario[] = [
  {
    id: "idle-stdio",
    title: "stdio, existing folder",
    bundles: ["stdio", "bare-stdio"],
    existingFolder: true,
    async measure({ firstStart }) {
      const command = bundleCommand("stdio", { DATA_DIR: first(firstStart).folder });
      const ours = await idleStdioMemory(command, (session) => session.callTool("note_save", BENCH_NOTE));
      const bare = await idleStdioMemory(bundleCommand("bare-stdio"), (session) => session.echo(ECHO_TEXT));
      return { results: { ours, bare } };
    },
  },
  {
    id: "idle-stdio-new",
    title: "stdio, new folder",
    bundles: ["stdio"],
    existingFolder: true,
    // The first start, which made the existing folder, is this very measurement.
    measure: async ({ firstStart }) => ({ results: { ours: first(firstStart).memory } }),
  },
  {
    id: "idle-launcher",
    title: "launcher, existing folder",
    bundles: ["launcher"],
    existingFolder: true,
    measure: async ({ firstStart }) => ({
      results: { ours: await idleLauncherMemory({ DATA_DIR: first(firstStart).folder }) },
    }),
  },
  {
    id: "idle-launcher-new",
    title: "launcher, new folder",
    bundles: ["launcher"],
    existingFolder: false,
    async measure({ folders }) {
      const folder = folders.next("launcher");
      try {
        return { results: { ours: await idleLauncherMemory({ DATA_DIR: folder }) } };
      } finally {
        await folders.remove(folder);
      }
    },
  },
  {
    id: "idle-launcher-pg",
    title: "launcher, PostgreSQL",
    bundles: ["launcher"],
    existingFolder: false,
    async measure({ databaseUrl }) {
      if (!databaseUrl) return { results: {}, skipped: "DATABASE_URL is not set" };
      const database = await createTestDatabase(databaseUrl);
      try {
        return { results: { ours: await idleLauncherMemory({ DATABASE_URL: database.url }) } };
      } finally {
        await database.drop();
      }
    },
  },
];

/** One process at a time, so that none is measured while another starts beside it. */
export async function measureIdle(
  scenarios: readonly IdleScenario[],
  needs: IdleNeeds,
): Promise<IdleEntry[]> {
  const entries: IdleEntry[] = [];
  for (const scenario of scenarios) {
    const entry: IdleEntry = { id: scenario.id, title: scenario.title, ...(await scenario.measure(needs)) };
    if (entry.skipped) console.log(`  idle     ${scenario.title}: skipped, ${entry.skipped}`);
    if (entry.results.ours) logIdle(scenario.title, "ours", entry.results.ours);
    if (entry.results.bare) logIdle(scenario.title, "bare", entry.results.bare);
    entries.push(entry);
  }
  return entries;
}

function first(firstStart: FirstStart | undefined): FirstStart {
  if (!firstStart) throw new Error("the idle scenarios on an existing data folder need the first start");
  return firstStart;
}
