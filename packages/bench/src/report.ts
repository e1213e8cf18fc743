import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadResult } from "./load/closed-loop.js";
import { IDLE_SESSIONS } from "./options.js";
import { STARTUP_NOTES, startupLines } from "./report-startup.js";
import { describe, figure, RULE, row, verdict } from "./report-table.js";
import {
  type BenchResults,
  evaluateTargets,
  type MemoryEntry,
  summarize,
  type Target,
  type ThroughputEntry,
  type ThroughputSummary,
} from "./results.js";
import { evaluateClusterTargets } from "./results-cluster.js";
import { evaluateHttpToolTargets } from "./results-http-tool.js";
import { type TargetName, targetLabels } from "./targets.js";

/**
 * Prints one table: each figure for our server beside SDK v1 and, on the 2026-07-28 rows, SDK v2,
 * with our figure's ratio to each, and the target if any.
 */
export function printReport(results: BenchResults): void {
  const rows = results.throughput.length + results.memory.length + results.spawn.length + results.idle.length;
  if (rows === 0) return;
  const targets = evaluateTargets(results);
  const header = [
    `${targetLabels.ours} over HTTP runs with ${results.setup.ours}; stdio has no API keys.`,
    `${targetLabels.bare}: ${results.setup.bare}.`,
    `${targetLabels["bare-v2"]}: ${results.setup["bare-v2"]}.`,
    `On the 2026-07-28 rows ${targetLabels.ours} and ${targetLabels["bare-v2"]} get 2026-07-28 clients (one POST per call, no session);`,
    `${targetLabels.bare}, which speaks nothing newer, gets 2025-11-25 sessions on its /mcp, the baseline operators run today.`,
  ];
  const lines = [row(["scenario", "figure", "mcp-tools", "SDK v1", "vs v1", "SDK v2", "vs v2", "target"])];
  lines.push(RULE);
  for (const entry of results.throughput) lines.push(...throughputLines(entry, targets));
  for (const entry of results.memory) lines.push(...memoryLines(entry, targets));
  lines.push(...startupLines(results, targets));
  console.log(`\n${header.join("\n")}\n\n${lines.join("\n")}\n`);
  console.log(NOTES);
  if (results.spawn.length + results.idle.length > 0) console.log(STARTUP_NOTES);
  const idle = results.memory.find((entry) => entry.kind === "streamable")?.results.ours;
  if (idle && idle.sessions !== IDLE_SESSIONS) {
    console.log(
      `SKIP  memory target: it holds at ${IDLE_SESSIONS} idle sessions, this run opened ${idle.sessions}`,
    );
  }
  for (const target of targets) console.log(`${target.pass ? "PASS" : "MISS"}  ${describe(target)}`);
}

function throughputLines(entry: ThroughputEntry, targets: readonly Target[]): string[] {
  const runs = (name: TargetName) => entry.runs[name] ?? [];
  if (runs("ours").length === 0 && runs("bare").length === 0) return [];
  const [ours, bare, v2] = [summarize(runs("ours")), summarize(runs("bare")), summarize(runs("bare-v2"))];
  const hasV2 = runs("bare-v2").length > 0;
  const line = (title: string, name: string, pick: (summary: ThroughputSummary) => number, digits: number) =>
    figure(title, name, pick(ours), pick(bare), hasV2 ? pick(v2) : undefined, digits);
  const target = (name: Target["figure"]) =>
    targets.find((candidate) => candidate.row === entry.id && candidate.figure === name);
  const errors = (name: TargetName) => failed(runs(name));
  return [
    line(entry.title, entry.id === "stdio" ? "round trips/s" : "calls/s", (s) => s.callsPerSecond, 0) +
      verdict(target("calls/s")),
    line("", "p50 ms", (s) => s.p50Ms, 2),
    line("", "p99 ms", (s) => s.p99Ms, 2) + verdict(target("p99")),
    line("", "server CPU µs/call", (s) => s.serverCpuUsPerCall, 0),
    line("", "  main thread", (s) => s.serverMainThreadCpuUsPerCall, 0),
    line("", "client CPU µs/call", (s) => s.clientCpuUsPerCall, 0),
    figure(
      "",
      "failed calls (all)",
      errors("ours"),
      errors("bare"),
      hasV2 ? errors("bare-v2") : undefined,
      0,
    ),
  ];
}

function memoryLines(entry: MemoryEntry, targets: readonly Target[]): string[] {
  const { ours, bare } = entry.results;
  const target = targets.find((candidate) => candidate.row === `memory:${entry.kind}`);
  return [
    figure(entry.title, "KB/session rss", kb(ours?.rssPerSession), kb(bare?.rssPerSession), undefined, 1) +
      verdict(target),
    figure("", "KB/session heap", kb(ours?.heapPerSession), kb(bare?.heapPerSession), undefined, 1),
  ];
}

const NOTES = `Figures are medians over the rounds; vs v1 and vs v2: mcp-tools' figure divided by that SDK's.
Server CPU per call (from /proc, user + system) moves least when others share the machine;
calls/s and latencies move most. Its main thread is the event loop's share; the rest is the
process's other threads (GC helpers, compilers, the embedded database's worker), which take the
machine's other cores, or the client's. Memory, after a full GC, per idle session (2025-era sessions:
SDK v2 is not measured, its 2026-07-28 path keeps none): rss = growth of the resident set, the
figure the target applies to (what the operator pays for, heap pages grown into and not returned
included); heap = heapUsed + external, what the GC keeps.
`;

/** Writes the raw results (every round) and the verdicts to `results/latest.json`. */
export async function writeReport(results: BenchResults): Promise<string> {
  const path = fileURLToPath(new URL("../results/latest.json", import.meta.url));
  await mkdir(dirname(path), { recursive: true });
  const document = {
    ...results,
    targets: [
      ...evaluateTargets(results),
      ...evaluateHttpToolTargets(results.httpTool),
      ...evaluateClusterTargets(results.cluster),
    ],
  };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

/** Every failed call across the rounds: a run stops after 20, so any here is worth a look. */
const failed = (runs: readonly LoadResult[]) => runs.reduce((sum, run) => sum + run.errors, 0);

const kb = (bytes: number | undefined) => (bytes === undefined ? Number.NaN : bytes / 1024);
