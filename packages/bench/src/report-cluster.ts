import {
  type ClusterEntry,
  type ClusterResults,
  evaluateClusterTargets,
  findEntry,
  STICKY,
  summarizeCluster,
} from "./results-cluster.js";

const HEADERS = [
  "topology",
  "calls/s",
  "p50 ms",
  "p99 ms",
  "errors",
  "crossed",
  "srv µs/call",
  "nginx µs/call",
];
const WIDTHS = [36, 9, 8, 8, 7, 8, 12, 14, 10, 10];

/** The cluster section: one row per topology and transport, then the verdicts of its targets. */
export function printClusterReport(cluster: ClusterResults | undefined): void {
  if (!cluster) return;
  if (cluster.status !== "ran") {
    // A skip was said in one line as it happened; a failure is repeated here, beside the other tables.
    if (cluster.status === "failed") console.log(`\nCluster: failed: ${cluster.reason}\n`);
    return;
  }
  const lines = [row([...HEADERS, "vs single", "vs sticky"])];
  lines.push(WIDTHS.map((width) => "-".repeat(width)).join(" "));
  for (const entry of cluster.entries) lines.push(entryRow(entry, cluster.entries));
  console.log(`\nCluster: ${cluster.setup}.\n\n${lines.join("\n")}\n`);
  console.log(CLUSTER_NOTES);
  for (const target of evaluateClusterTargets(cluster)) {
    const value = target.unit === "errors" ? `${target.value}` : `${target.value.toFixed(2)}×`;
    const limit = target.unit === "errors" ? `${target.limit}` : `${target.limit.toFixed(2)}×`;
    console.log(
      `${target.pass ? "PASS" : "MISS"}  ${target.name}: ${value} (target ${target.comparison} ${limit})`,
    );
  }
}

function entryRow(entry: ClusterEntry, entries: readonly ClusterEntry[]): string {
  const summary = summarizeCluster(entry);
  const against = (other: ClusterEntry | undefined) =>
    other && other !== entry
      ? `${number(summary.callsPerSecond / summarizeCluster(other).callsPerSecond, 2)}×`
      : "";
  const errors = summary.failed + (summary.aborted > 0 ? `+${summary.aborted}!` : "");
  return row([
    `${entry.transport} ${entry.title}`,
    number(summary.callsPerSecond, 0),
    number(summary.p50Ms, 2),
    number(summary.p99Ms, 2),
    String(errors),
    Number.isFinite(summary.crossedShare) ? `${(summary.crossedShare * 100).toFixed(1)}%` : "–",
    number(summary.serverCpuUsPerCall, 0),
    number(summary.nginxCpuUsPerCall, 0),
    against(findEntry(entries, entry.id, "single")),
    against(findEntry(entries, entry.id, STICKY)),
  ]);
}

const CLUSTER_NOTES = `Medians over the rounds. crossed: requests relayed between replicas (mcp_relayed_requests_total
on every replica's /metrics, all outcomes, read after the clients open and before they close) per
echo call the clients sent in that span (warm-up and the calls in flight at the end included; on
/mcp and /sse each carries a session id; a 2026-07-28 call carries none, so none should cross).
srv µs/call: CPU of all 3 replicas over the measured window per call counted in it; nginx µs/call:
CPU of nginx's master and workers over the whole span per call sent in it.
nginx runs deploy/nginx.conf with its access log off (on 2 cores, writing it costs the CPU being
measured) and without the admin server; only the balancing line of \`upstream mcp\` changes per row.
"hash session id" (\`hash $http_mcp_session_id$arg_sessionId consistent\`) cannot keep a session on
the replica that created it: \`initialize\` and \`GET /sse\` carry no session id yet, so nginx places
them round-robin, and the session's later requests hash to a replica that is its home only by
chance (1 in 3 on a balanced ring; with 32 sessions on a hash ring the share swings between runs).
2026-07-28 clients are not run through it: without a session id every request is placed round-robin.
"hash client id" hashes a stable \`x-bench-client\` header each client sends: what cookie or IP
affinity gives, every request of a session (or of a 2026-07-28 client) on one replica. The
round-robin targets compare with that one (≥ 0.70 on /mcp and /sse, the only sticky balancing that
keeps sessions at home; ≥ 0.90 on 2026-07-28, where nothing needs to stay anywhere).
errors: failed echo calls plus failed attempts to open a session (or a 2026-07-28 client's
server/discover); a client whose new session is "not found" re-initializes (as MCP requires, up to
3 tries) so the run still measures, but every failed attempt counts. +N! counts runs that stopped
before the end.
`;

function row(cells: string[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(WIDTHS[index] ?? 0) : cell.padStart(WIDTHS[index] ?? 0)))
    .join(" ");
}

const number = (value: number, digits: number) =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
