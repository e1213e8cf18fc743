import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadResult } from "./load/closed-loop.js";
import { type BenchResults, evaluateTargets, ratio, summarize, type Target } from "./results.js";
import { evaluateClusterTargets } from "./results-cluster.js";
import { targetLabels } from "./targets.js";

const WIDTHS = [30, 19, 12, 12, 8, 18];

/** Prints one table: each figure for our server, the bare SDK, their ratio, and the target if any. */
export function printReport(results: BenchResults): void {
  if (results.throughput.length === 0 && results.memory.length === 0) return;
  const targets = evaluateTargets(results);
  const header = [
    `${targetLabels.ours} over HTTP runs with ${results.setup.ours}; stdio has no API keys.`,
    `${targetLabels.bare} over HTTP runs with ${results.setup.bare}.`,
  ];
  const lines = [row(["scenario", "figure", "mcp-tools", "bare SDK", "ratio", "target"])];
  lines.push(WIDTHS.map((width) => "-".repeat(width)).join(" "));
  for (const entry of results.throughput) {
    if (entry.runs.ours.length === 0 && entry.runs.bare.length === 0) continue;
    const ours = summarize(entry.runs.ours);
    const bare = summarize(entry.runs.bare);
    const perSecond = entry.id === "stdio" ? "round trips/s" : "calls/s";
    const target = targets.find((t) => t.row === entry.id);
    lines.push(
      figure(entry.title, perSecond, ours.callsPerSecond, bare.callsPerSecond, 0, target),
      figure("", "p50 ms", ours.p50Ms, bare.p50Ms, 2),
      figure("", "p99 ms", ours.p99Ms, bare.p99Ms, 2),
      figure("", "server CPU µs/call", ours.serverCpuUsPerCall, bare.serverCpuUsPerCall, 0),
      figure("", "client CPU µs/call", ours.clientCpuUsPerCall, bare.clientCpuUsPerCall, 0),
      figure("", "failed calls (all)", failed(entry.runs.ours), failed(entry.runs.bare), 0),
    );
  }
  for (const entry of results.memory) {
    const ours = entry.results.ours;
    const bare = entry.results.bare;
    const target = targets.find((t) => t.row === `memory:${entry.kind}`);
    lines.push(
      figure(entry.title, "KB/session heap", kb(ours?.heapPerSession), kb(bare?.heapPerSession), 1, target),
      figure("", "KB/session rss", kb(ours?.rssPerSession), kb(bare?.rssPerSession), 1),
    );
  }
  console.log(`\n${header.join("\n")}\n\n${lines.join("\n")}\n`);
  console.log(NOTES);
  for (const target of targets) console.log(`${target.pass ? "PASS" : "MISS"}  ${describe(target)}`);
}

const NOTES = `Figures are medians over the rounds. Server CPU per call (from /proc, user + system) moves least
when others share the machine; calls/s and latencies move most. Memory: heap = heapUsed + external
after a full GC, the figure the target applies to; rss also counts heap pages the process grew into
and has not returned, so it is indicative only.
`;

/** Writes the raw results (every round) and the verdicts to `results/latest.json`. */
export async function writeReport(results: BenchResults): Promise<string> {
  const path = fileURLToPath(new URL("../results/latest.json", import.meta.url));
  await mkdir(dirname(path), { recursive: true });
  const document = {
    ...results,
    targets: [...evaluateTargets(results), ...evaluateClusterTargets(results.cluster)],
  };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

function figure(
  title: string,
  name: string,
  ours: number,
  bare: number,
  digits: number,
  target?: Target,
): string {
  const verdict = target
    ? `${target.comparison} ${target.limit}${target.unit === "KB" ? " KB" : "×"} ${target.pass ? "PASS" : "MISS"}`
    : "";
  return row([
    title,
    name,
    number(ours, digits),
    number(bare, digits),
    `${number(ratio(ours, bare), 2)}×`,
    verdict,
  ]);
}

function describe(target: Target): string {
  const value =
    target.unit === "KB" ? `${target.value.toFixed(1)} KB` : `${target.value.toFixed(2)}× bare SDK`;
  const limit = target.unit === "KB" ? `${target.limit} KB` : `${target.limit.toFixed(2)}×`;
  return `${target.name}: ${value} (target ${target.comparison} ${limit})`;
}

function row(cells: string[]): string {
  return cells
    .map((cell, index) => (index < 2 ? cell.padEnd(WIDTHS[index] ?? 0) : cell.padStart(WIDTHS[index] ?? 0)))
    .join(" ");
}

const number = (value: number, digits: number) =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";

/** Every failed call across the rounds: a run stops after 20, so any here is worth a look. */
const failed = (runs: readonly LoadResult[]) => runs.reduce((sum, run) => sum + run.errors, 0);

const kb = (bytes: number | undefined) => (bytes === undefined ? Number.NaN : bytes / 1024);
