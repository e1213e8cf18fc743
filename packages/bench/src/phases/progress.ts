import type { LoadResult } from "../load/closed-loop.js";
import type { LatencyRun } from "../load/interleaved.js";
import type { ResidentMemory } from "../load/process-memory.js";
import type { MemoryResult } from "../scenarios/idle-memory.js";
import { type TargetName, targetLabels } from "../targets.js";

/** One line per run as it finishes, so a long benchmark shows where it is. */
export function logRun(round: number, title: string, name: TargetName, result: LoadResult): void {
  logPathRun(round, title, targetLabels[name], result);
}

/** logRun, for a run named other than by its server (the HTTP tool's paths). */
export function logPathRun(round: number, title: string, label: string, result: LoadResult): void {
  console.log(
    `  round ${round + 1}  ${title.padEnd(28)} ${label.padEnd(9)} ` +
      `${Math.round(result.callsPerSecond).toString().padStart(6)}/s  p50 ${result.p50Ms.toFixed(2)} ms  ` +
      `p99 ${result.p99Ms.toFixed(2)} ms  max ${result.maxMs.toFixed(1)} ms  ` +
      `CPU/call server ${Math.round(result.serverCpuUsPerCall)} µs, client ${Math.round(result.clientCpuUsPerCall)} µs  ` +
      `errors ${result.errors}`,
  );
}

/** One line for a run whose kinds of call took turns: the latencies of each. */
export function logLatencyRun(
  round: number,
  title: string,
  runs: readonly (readonly [string, LatencyRun])[],
): void {
  const each = runs.map(
    ([label, run]) =>
      `${label} p50 ${run.p50Ms.toFixed(3)} ms p99 ${run.p99Ms.toFixed(2)} ms (${run.calls} calls, ${run.errors} failed)`,
  );
  console.log(`  round ${round + 1}  ${title.padEnd(28)} ${each.join("; ")}`);
}

export function logMemory(title: string, name: TargetName, result: MemoryResult): void {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(
    `  ${title.padEnd(32)} ${targetLabels[name].padEnd(9)} ` +
      `heap ${kb(result.heapPerSession)} KB/session  rss ${kb(result.rssPerSession)} KB/session`,
  );
}

export function logSpawn(index: number, title: string, name: TargetName, ms: number): void {
  console.log(
    `  spawn ${index + 1}  ${title.padEnd(28)} ${targetLabels[name].padEnd(9)} ${Math.round(ms).toLocaleString("en-US").padStart(6)} ms`,
  );
}

export function logIdle(title: string, name: TargetName, memory: ResidentMemory): void {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(
    `  idle     ${title.padEnd(28)} ${targetLabels[name].padEnd(9)} rss ${mb(memory.rss)} MB  peak ${mb(memory.peakRss)} MB`,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
