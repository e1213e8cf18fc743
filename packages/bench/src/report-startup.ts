import { median } from "./load/stats.js";
import { number, row, verdict } from "./report-table.js";
import type { BenchResults, Target } from "./results.js";
import { type IdleEntry, MB, type SpawnEntry } from "./results-startup.js";
import { IDLE_SETTLE_MS } from "./scenarios/constants.js";

/** The start-up rows of the main table, under two headings, each title indented beneath its own. */
export function startupLines(
  results: Pick<BenchResults, "spawn" | "idle">,
  targets: readonly Target[],
): string[] {
  const lines: string[] = [];
  if (results.spawn.length > 0) lines.push("stdio spawn → first answer");
  for (const entry of results.spawn) lines.push(...spawnLines(entry, targets));
  if (results.idle.length > 0) lines.push("idle process, resident set");
  for (const entry of results.idle) lines.push(...idleLines(entry, targets));
  return lines;
}

/** The median with SDK v1's beside it, then the spread. */
function spawnLines(entry: SpawnEntry, targets: readonly Target[]): string[] {
  const ours = entry.runs.ours ?? [];
  const bare = entry.runs.bare;
  const target = targets.find((candidate) => candidate.row === entry.id);
  return [
    pair(`  ${entry.title}`, `${entry.first} ms`, median(ours), bare && median(bare), 0) + verdict(target),
    row(["", "fastest–slowest ms", spread(ours), bare ? spread(bare) : ""]),
  ];
}

/** Its resident set (and SDK v1's where it ran), then its peak. */
function idleLines(entry: IdleEntry, targets: readonly Target[]): string[] {
  const title = `  ${entry.title}`;
  if (entry.skipped) return [row([title, `skipped: ${entry.skipped}`])];
  const { ours, bare } = entry.results;
  const target = targets.find((candidate) => candidate.row === entry.id);
  const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / MB);
  return [
    pair(title, "rss MB", mb(ours?.rss) ?? Number.NaN, mb(bare?.rss), 1) + verdict(target),
    pair("", "peak rss MB", mb(ours?.peakRss) ?? Number.NaN, mb(bare?.peakRss), 1),
  ];
}

export const STARTUP_NOTES = `start: the bundles as a desktop client runs them (node dist/main.js; ours with DATA_DIR alone, as
in the README); the first request is written the moment the process is spawned and timed to its
answer; median of the spawns, each process gone before the next one starts. existing: a folder an
earlier start created; new: one that does not exist yet. SDK v1: its stdio server bundled with the
same tsup settings, spawned beside ours in each round (it has no database, and cannot answer
server/discover). idle: the resident set (VmRSS, every thread, PGlite's included)
${IDLE_SETTLE_MS / 1_000} s after one call (ours: a note saved; SDK v1: echo); peak: VmHWM since spawn.
"stdio, new folder" is the first start that made the existing folder; ours makes a new folder
(initdb) in a child process that exits before the server opens it, whose peak (some 650 MB for
2 s) is not in the figure. The launcher runs as
\`pnpm start\` does (--transport sse --admin), bundled; its call is a 2026-07-28 POST /mcp from
loopback (no key: MCP_AUTH=local); on PostgreSQL, in a fresh database. MB: 1,048,576 bytes.
`;

/** Ours beside SDK v1 when it ran, with the ratio; blank cells where it did not. */
function pair(title: string, name: string, ours: number, bare: number | undefined, digits: number): string {
  const baseline = bare === undefined ? ["", ""] : [number(bare, digits), `${number(ours / bare, 2)}×`];
  return row([title, name, number(ours, digits), ...baseline, "", ""]);
}

function spread(values: readonly number[]): string {
  if (values.length === 0) return "–";
  return `${number(Math.min(...values), 0)}–${number(Math.max(...values), 0)}`;
}
