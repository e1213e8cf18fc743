import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { BenchOptions, ScenarioId } from "../options.js";
import type { ThroughputEntry } from "../results.js";
import { legacySseThroughput } from "../scenarios/legacy-sse-throughput.js";
import { stdioThroughput } from "../scenarios/stdio-throughput.js";
import { streamableThroughput } from "../scenarios/streamable-throughput.js";
import { startServerPair, stopServerPair } from "../servers/pair.js";
import type { ServerProcess } from "../servers/spawn.js";
import { orderFor, targets } from "../targets.js";
import { logRun, sleep } from "./progress.js";

interface HttpScenario {
  id: ScenarioId;
  title: string;
  run(server: ServerProcess, timing: Timing): Promise<LoadResult>;
}

const httpScenarios: HttpScenario[] = [
  {
    id: "mcp-32",
    title: "/mcp, 32 sessions",
    run: (server, timing) => streamableThroughput(server, 32, timing),
  },
  { id: "mcp-1", title: "/mcp, 1 session", run: (server, timing) => streamableThroughput(server, 1, timing) },
  {
    id: "sse-32",
    title: "/sse, 32 sessions",
    run: (server, timing) => legacySseThroughput(server, 32, timing),
  },
  { id: "sse-1", title: "/sse, 1 session", run: (server, timing) => legacySseThroughput(server, 1, timing) },
];

/** Lets the server that just ran finish its background work (audit flush) before the other one starts. */
export const SETTLE_MS = 500;
/** Fresh processes run slow for their first seconds (JIT, heap sizing): each gets a pass that does not count. */
export const PRIME_MS = 1_000;

/** The HTTP scenarios `options.only` selects, both servers alive, alternating which goes first. */
export async function runHttpThroughput(options: BenchOptions): Promise<ThroughputEntry[]> {
  const scenarios = httpScenarios.filter((scenario) => options.only.has(scenario.id));
  if (scenarios.length === 0) return [];
  const timing = { warmupMs: options.warmupMs, durationMs: options.durationMs };
  const servers = await startServerPair(options.cpuProfDir);
  try {
    for (const name of orderFor(0)) {
      for (const scenario of scenarios)
        await scenario.run(servers[name], { warmupMs: 0, durationMs: PRIME_MS });
    }
    const entries = scenarios.map((scenario) => emptyEntry(scenario.id, scenario.title));
    for (let round = 0; round < options.rounds; round += 1) {
      for (const [index, scenario] of scenarios.entries()) {
        for (const name of orderFor(round)) {
          const result = await scenario.run(servers[name], timing);
          entries[index]?.runs[name].push(result);
          logRun(round, scenario.title, name, result);
          await sleep(SETTLE_MS);
        }
      }
    }
    return entries;
  } finally {
    await stopServerPair(servers);
  }
}

/** Sequential round trips over stdio; each run spawns its server afresh. */
export async function runStdioThroughput(options: BenchOptions): Promise<ThroughputEntry[]> {
  if (!options.only.has("stdio")) return [];
  const timing = { warmupMs: options.warmupMs, durationMs: options.durationMs };
  const entry = emptyEntry("stdio", "stdio, 1 in flight");
  for (let round = 0; round < options.rounds; round += 1) {
    for (const name of orderFor(round)) {
      const result = await stdioThroughput(targets[name].stdio, timing);
      entry.runs[name].push(result);
      logRun(round, entry.title, name, result);
    }
  }
  return [entry];
}

function emptyEntry(id: string, title: string): ThroughputEntry {
  return { id, title, runs: { ours: [], bare: [] } };
}
