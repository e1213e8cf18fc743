import type { LoadResult } from "./load/closed-loop.js";
import type { LatencyRun } from "./load/interleaved.js";
import { median } from "./load/stats.js";
import { describe, number, verdict } from "./report-table.js";
import type { Target, ThroughputSummary } from "./results.js";
import {
  addedLatency,
  evaluateHttpToolTargets,
  type HttpToolPath,
  type HttpToolResults,
  pathLabels,
  throughputOf,
} from "./results-http-tool.js";

const PATHS: readonly HttpToolPath[] = ["echo", "tool", "direct"];
const WIDTHS = [26, 19, 11, 11, 11, 11];

/** The HTTP tool section: each path's figures side by side, the added latency, then the verdicts. */
export function printHttpToolReport(results: HttpToolResults | undefined): void {
  if (!results) return;
  const targets = evaluateHttpToolTargets(results);
  const lines = [row(["scenario", "figure", ...PATHS.map((path) => pathLabels[path]), "tool/echo"])];
  lines.push(WIDTHS.map((width) => "-".repeat(width)).join(" "));
  if (results.throughput) lines.push(...throughputLines(results.throughput, targets));
  if (results.latency) lines.push(...latencyLines(results.latency, targets));
  console.log(`\nHTTP tool: ${results.setup}.\n\n${lines.join("\n")}\n`);
  console.log(HTTP_TOOL_NOTES);
  for (const target of targets) console.log(`${target.pass ? "PASS" : "MISS"}  ${describe(target)}`);
}

function throughputLines(
  { title, runs }: NonNullable<HttpToolResults["throughput"]>,
  targets: readonly Target[],
): string[] {
  const summaries = PATHS.map((path) => throughputOf(runs, path));
  const line = (title: string, name: string, pick: (summary: ThroughputSummary) => number, digits: number) =>
    figures(
      title,
      name,
      summaries.map((summary) => summary && pick(summary)),
      digits,
    );
  const target = targets.find((candidate) => candidate.row === "http-tool-32");
  return [
    line(title, "calls/s", (s) => s.callsPerSecond, 0) + verdict(target),
    line("", "p50 ms", (s) => s.p50Ms, 2),
    line("", "p99 ms", (s) => s.p99Ms, 2),
    line("", "server CPU µs/call", (s) => s.serverCpuUsPerCall, 0),
    line("", "client CPU µs/call", (s) => s.clientCpuUsPerCall, 0),
    count(
      "",
      "failed calls (all)",
      PATHS.map((path) => failed(runs[path])),
    ),
  ];
}

function latencyLines(
  { title, runs }: NonNullable<HttpToolResults["latency"]>,
  targets: readonly Target[],
): string[] {
  const pick = (path: HttpToolPath, value: (run: LatencyRun) => number) => {
    const kept = runs[path] ?? [];
    return kept.length === 0 ? undefined : median(kept.map(value));
  };
  const line = (name: string, value: (run: LatencyRun) => number, digits: number, first = "") =>
    figures(
      first,
      name,
      PATHS.map((path) => pick(path, value)),
      digits,
    );
  const added = addedLatency(runs);
  const target = targets.find((candidate) => candidate.row === "http-tool-1");
  return [
    line("p50 ms", (run) => run.p50Ms, 3, title),
    line("p99 ms", (run) => run.p99Ms, 2),
    count(
      "",
      "calls (all rounds)",
      PATHS.map((path) => (runs[path] ?? []).reduce((sum, run) => sum + run.calls, 0)),
    ),
    count(
      "",
      "failed calls (all)",
      PATHS.map((path) => failed(runs[path])),
    ),
    row(["", "added p50 ms", "", added ? number(added.addedMs, 3) : "–", "", ""]) + verdict(target),
  ];
}

/** One figure for each path, with the HTTP tool's divided by echo's. */
function figures(title: string, name: string, values: (number | undefined)[], digits: number): string {
  const [echo, tool] = values;
  const ratio = echo !== undefined && tool !== undefined ? `${number(tool / echo, 2)}×` : "";
  return row([
    title,
    name,
    ...values.map((value) => (value === undefined ? "" : number(value, digits))),
    ratio,
  ]);
}

const count = (title: string, name: string, values: number[]) =>
  row([title, name, ...values.map((value) => number(value, 0)), ""]);

/** Every failed call across the rounds: a run stops after 20, so any here is worth a look. */
const failed = (runs: readonly Pick<LoadResult, "errors">[] = []) =>
  runs.reduce((sum, run) => sum + run.errors, 0);

const HTTP_TOOL_NOTES = `Medians over the rounds. 32 sessions: each path a run of its own, one after another in each round
(the order reversed every other round); echo and the HTTP tool on the same server process; server
CPU is that process's, on the direct row the upstream's. 1 session, in turn: one client with one
call in flight takes echo, the HTTP tool (both over one session) and the upstream directly in turn,
so no call waits behind another and all three meet the same machine at the same moments.
The calls/s target takes the tool's share of echo's round by round (the two ran back to back) and
the median of those shares; the tool/echo column divides the medians, so the two can differ.
added p50 = p50(HTTP tool) − p50(echo) − p50(direct), each the median of the rounds' p50s:
p50(HTTP tool) − p50(echo) is what the tool costs beyond any MCP call, the upstream's round trip
included; less the upstream's round trip called directly, what is left is what our server adds:
templating, the egress guard, the outbound request (undici), parsing the answer, picking /data and
validating it against the outputSchema.
`;

function row(cells: string[]): string {
  return cells
    .map((cell, index) => (index < 2 ? cell.padEnd(WIDTHS[index] ?? 0) : cell.padStart(WIDTHS[index] ?? 0)))
    .join(" ");
}
