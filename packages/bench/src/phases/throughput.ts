import type { StdioCommand } from "../clients/stdio.js";
import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { BenchOptions, ScenarioId } from "../options.js";
import type { ThroughputEntry } from "../results.js";
import { legacySseThroughput } from "../scenarios/legacy-sse-throughput.js";
import { modernThroughput } from "../scenarios/modern-throughput.js";
import { stdioThroughput } from "../scenarios/stdio-throughput.js";
import { streamableThroughput } from "../scenarios/streamable-throughput.js";
import { buildBundles, bundleCommand } from "../servers/bundles.js";
import { serverOf, startServers, stopServers } from "../servers/set.js";
import type { ServerProcess } from "../servers/spawn.js";
import { orderFor, type TargetName } from "../targets.js";
import { logRun, sleep } from "./progress.js";

type Traffic = (server: ServerProcess, timing: Timing) => Promise<LoadResult>;

interface HttpScenario {
  id: ScenarioId;
  title: string;
  /** What each server in the scenario is sent; a server absent here sits it out. */
  traffic: Partial<Record<TargetName, Traffic>>;
}

const sessions2025 =
  (count: number): Traffic =>
  (server, timing) =>
    streamableThroughput(server, count, timing);
const modern =
  (count: number): Traffic =>
  (server, timing) =>
    modernThroughput(server, count, timing);
const legacySse =
  (count: number): Traffic =>
  (server, timing) =>
    legacySseThroughput(server, count, timing);

/**
 * The 2026-07-28 rows hold our server to SDK v1's stateful /mcp, today's baseline (v1 speaks
 * nothing newer than 2025-11-25, so it gets its own sessions), and to SDK v2 with the same traffic.
 */
const httpScenarios: HttpScenario[] = [
  { id: "mcp-32", title: "/mcp, 32 sessions", traffic: { ours: sessions2025(32), bare: sessions2025(32) } },
  { id: "mcp-1", title: "/mcp, 1 session", traffic: { ours: sessions2025(1), bare: sessions2025(1) } },
  {
    id: "modern-32",
    title: "/mcp 2026-07-28, 32 clients",
    traffic: { ours: modern(32), bare: sessions2025(32), "bare-v2": modern(32) },
  },
  {
    id: "modern-1",
    title: "/mcp 2026-07-28, 1 client",
    traffic: { ours: modern(1), bare: sessions2025(1), "bare-v2": modern(1) },
  },
  { id: "sse-32", title: "/sse, 32 sessions", traffic: { ours: legacySse(32), bare: legacySse(32) } },
  { id: "sse-1", title: "/sse, 1 session", traffic: { ours: legacySse(1), bare: legacySse(1) } },
];

/** Lets the server that just ran finish its background work (audit flush) before the next one starts. */
export const SETTLE_MS = 500;
/** Fresh processes run slow for their first seconds (JIT, heap sizing): each gets a pass that does not count. */
export const PRIME_MS = 1_000;
/** The order servers run in, before `orderFor` reverses it every other round. */
const SERVER_ORDER: readonly TargetName[] = ["bare", "ours", "bare-v2"];

/** The HTTP scenarios `options.only` selects, every server they need alive, alternating the order. */
export async function runHttpThroughput(options: BenchOptions): Promise<ThroughputEntry[]> {
  const scenarios = httpScenarios.filter((scenario) => options.only.has(scenario.id));
  if (scenarios.length === 0) return [];
  const timing = { warmupMs: options.warmupMs, durationMs: options.durationMs };
  const names = SERVER_ORDER.filter((name) => scenarios.some((scenario) => scenario.traffic[name]));
  const servers = await startServers(names, options.cpuProfDir);
  const inOrder = (round: number, scenario: HttpScenario) =>
    orderFor(round, names).flatMap((name) => {
      const traffic = scenario.traffic[name];
      return traffic ? [{ name, traffic }] : [];
    });
  try {
    for (const scenario of scenarios) {
      for (const { name, traffic } of inOrder(0, scenario))
        await traffic(serverOf(servers, name), { warmupMs: 0, durationMs: PRIME_MS });
    }
    const entries = scenarios.map((scenario) => emptyEntry(scenario.id, scenario.title));
    for (let round = 0; round < options.rounds; round += 1) {
      for (const [index, scenario] of scenarios.entries()) {
        for (const { name, traffic } of inOrder(round, scenario)) {
          const result = await traffic(serverOf(servers, name), timing);
          record(entries[index], name, result);
          logRun(round, scenario.title, name, result);
          await sleep(SETTLE_MS);
        }
      }
    }
    return entries;
  } finally {
    await stopServers(servers);
  }
}

/**
 * Sequential round trips over stdio; each run spawns its server afresh. The bundles, as a desktop
 * client runs them (as for spawn → first answer), not the sources through tsx.
 */
export async function runStdioThroughput(options: BenchOptions): Promise<ThroughputEntry[]> {
  if (!options.only.has("stdio")) return [];
  await buildBundles(["stdio", "bare-stdio"]);
  const commands: Record<"ours" | "bare", StdioCommand> = {
    ours: bundleCommand("stdio", { DATA_DIR: "memory://", LOG_LEVEL: "silent" }),
    bare: bundleCommand("bare-stdio"),
  };
  const timing = { warmupMs: options.warmupMs, durationMs: options.durationMs };
  const entry = emptyEntry("stdio", "stdio, 1 in flight");
  for (let round = 0; round < options.rounds; round += 1) {
    for (const name of orderFor(round, ["bare", "ours"] as const)) {
      const result = await stdioThroughput(commands[name], timing);
      record(entry, name, result);
      logRun(round, entry.title, name, result);
    }
  }
  return [entry];
}

function emptyEntry(id: string, title: string): ThroughputEntry {
  return { id, title, runs: {} };
}

function record(entry: ThroughputEntry | undefined, name: TargetName, result: LoadResult): void {
  if (!entry) return;
  const runs = entry.runs[name] ?? [];
  runs.push(result);
  entry.runs[name] = runs;
}
