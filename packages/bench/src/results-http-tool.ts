import type { LoadResult } from "./load/closed-loop.js";
import type { LatencyRun } from "./load/interleaved.js";
import { median } from "./load/stats.js";
import { summarize, type Target, type ThroughputSummary } from "./results.js";

/**
 * What a call goes through: `echo` and `tool` (the HTTP tool) over /mcp on the same server
 * process, or `direct`, the upstream the tool calls, with no MCP server between.
 */
export type HttpToolPath = "echo" | "tool" | "direct";

export const pathLabels: Record<HttpToolPath, string> = {
  echo: "echo",
  tool: "HTTP tool",
  direct: "direct",
};

export interface HttpToolResults {
  /** The tool, the upstream and the server, as run. */
  setup: string;
  /** `http-tool-32`: each path on its own, one after another in each round. */
  throughput?: {
    title: string;
    clients: number;
    runs: Partial<Record<HttpToolPath, LoadResult[]>>;
  };
  /** `http-tool-1`: one client taking the paths in turn, one run per round. */
  latency?: {
    title: string;
    runs: Partial<Record<HttpToolPath, LatencyRun[]>>;
  };
}

/** Issue 11: the HTTP tool's calls/s, 32 clients, at least this share of echo's in the same run. */
export const HTTP_TOOL_THROUGHPUT_SHARE = 0.7;
/** Issue 11: what our server adds to the upstream's own round trip, p50, at most this many ms. */
export const HTTP_TOOL_ADDED_P50_MS = 1;

export interface AddedLatency {
  toolP50Ms: number;
  echoP50Ms: number;
  directP50Ms: number;
  /** toolP50Ms − echoP50Ms − directP50Ms. */
  addedMs: number;
}

/**
 * The latency our server adds to an HTTP tool's upstream, from one client (no call waits behind
 * another): p50(tool over MCP) − p50(echo over MCP) is what calling the tool costs beyond any MCP
 * call, the upstream's round trip included; less p50(upstream called directly), what is left is
 * ours: templating, the egress guard, the outbound request, parsing, picking and validating. Each
 * p50 is the median of the rounds'. Undefined until all three paths have run.
 */
export function addedLatency(
  runs: Partial<Record<HttpToolPath, readonly LatencyRun[]>>,
): AddedLatency | undefined {
  const p50 = (path: HttpToolPath) => {
    const kept = runs[path] ?? [];
    return kept.length === 0 ? undefined : median(kept.map((run) => run.p50Ms));
  };
  const [toolP50Ms, echoP50Ms, directP50Ms] = [p50("tool"), p50("echo"), p50("direct")];
  if (toolP50Ms === undefined || echoP50Ms === undefined || directP50Ms === undefined) return undefined;
  return { toolP50Ms, echoP50Ms, directP50Ms, addedMs: toolP50Ms - echoP50Ms - directP50Ms };
}

/** The medians over the rounds of one path at 32 clients, or undefined when it did not run. */
export function throughputOf(
  runs: Partial<Record<HttpToolPath, LoadResult[]>>,
  path: HttpToolPath,
): ThroughputSummary | undefined {
  const kept = runs[path] ?? [];
  return kept.length === 0 ? undefined : summarize(kept);
}

/**
 * The HTTP tool's calls/s as a share of echo's: round by round (the two run one after the other on
 * the same process, so they meet the same machine), then the median of the rounds' shares. On a
 * shared 2-core machine a round's throughput swings by a third; pairing takes the swing out of the
 * comparison where a median against a median would keep it. Undefined until both have run.
 */
export function throughputShare(runs: Partial<Record<HttpToolPath, LoadResult[]>>): number | undefined {
  const [tool, echo] = [runs.tool ?? [], runs.echo ?? []];
  const shares = tool.flatMap((run, round) => {
    const paired = echo[round];
    return paired ? [run.callsPerSecond / paired.callsPerSecond] : [];
  });
  return shares.length === 0 ? undefined : median(shares);
}

/** The HTTP tool's calls/s against echo's at 32 clients, and the latency it adds with one. */
export function evaluateHttpToolTargets(results: HttpToolResults | undefined): Target[] {
  const targets: Target[] = [];
  const loaded = results?.throughput;
  const value = loaded && throughputShare(loaded.runs);
  if (loaded && value !== undefined) {
    targets.push({
      row: "http-tool-32",
      figure: "calls/s",
      name: `HTTP tool throughput, ${loaded.clients} sessions, against echo in the same round (median of the rounds)`,
      value,
      comparison: "≥",
      limit: HTTP_TOOL_THROUGHPUT_SHARE,
      unit: "× echo",
      pass: value >= HTTP_TOOL_THROUGHPUT_SHARE,
    });
  }
  const added = results?.latency && addedLatency(results.latency.runs);
  if (added) {
    targets.push({
      row: "http-tool-1",
      figure: "p50",
      name: "HTTP tool added p50 latency, 1 session: p50(tool) − p50(echo) − p50(upstream direct)",
      value: added.addedMs,
      comparison: "≤",
      limit: HTTP_TOOL_ADDED_P50_MS,
      unit: "ms",
      pass: added.addedMs <= HTTP_TOOL_ADDED_P50_MS,
    });
  }
  return targets;
}
