import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { BenchOptions } from "../options.js";
import type {
  ClusterEntry,
  ClusterResults,
  ClusterRun,
  ClusterScenarioId,
  TopologyId,
} from "../results-cluster.js";
import type { HttpLoadOptions } from "../scenarios/http-load.js";
import { legacySseThroughput } from "../scenarios/legacy-sse-throughput.js";
import { modernThroughput } from "../scenarios/modern-throughput.js";
import { streamableThroughput } from "../scenarios/streamable-throughput.js";
import { type ReplicaCluster, startCluster } from "../servers/cluster.js";
import type { ServerProcess } from "../servers/spawn.js";
import { targetLabels, targetSetups } from "../targets.js";
import { observeCluster } from "./cluster-load.js";
import { logClusterRun } from "./cluster-progress.js";
import type { ClusterRequirements } from "./cluster-requirements.js";
import { createFronts, startTopologies, type Topology } from "./cluster-topologies.js";
import { sleep } from "./progress.js";
import { PRIME_MS, SETTLE_MS } from "./throughput.js";

const REPLICAS = 3;
/** A client whose new session is not found re-initializes, as MCP requires; each failure still counts. */
const OPEN_ATTEMPTS = 3;
const CLIENTS = 32;

type Target = Pick<ServerProcess, "port" | "pid" | "token">;

interface ClusterScenario {
  id: ClusterScenarioId;
  transport: ClusterEntry["transport"];
  /** The topologies it runs on, when not all of them. */
  topologies?: readonly TopologyId[];
  run(target: Target, timing: Timing, options: HttpLoadOptions): Promise<LoadResult>;
}

const clusterScenarios: ClusterScenario[] = [
  {
    id: "cluster-mcp",
    transport: "/mcp",
    run: (target, timing, options) => streamableThroughput(target, CLIENTS, timing, options),
  },
  {
    id: "cluster-sse",
    transport: "/sse",
    run: (target, timing, options) => legacySseThroughput(target, CLIENTS, timing, options),
  },
  {
    id: "cluster-modern",
    transport: "/mcp 2026-07-28",
    // Without a session id to hash, "hash session id" is round-robin again: nothing new to measure.
    topologies: ["single", "round-robin", "client-affinity"],
    run: (target, timing, options) => modernThroughput(target, CLIENTS, timing, options),
  },
];

const CLUSTER_SETUP =
  `${REPLICAS} replicas of ${targetLabels.ours}, each its own process with ${targetSetups.ours}; ` +
  "all sharing one fresh PostgreSQL database (keys, tool settings, audit) and one Redis prefix (sessions, relay, " +
  `rate limits); ${CLIENTS} clients per run (each with its session on /mcp 2025 and /sse); nginx runs deploy/nginx.conf with its access log off`;

/**
 * 32 clients on /mcp (2025 sessions), /sse and /mcp (2026-07-28) against one replica, and against 3
 * behind nginx balanced three ways (two for 2026-07-28, which has no session id to hash).
 */
export async function runCluster(
  options: BenchOptions,
  needs: ClusterRequirements,
): Promise<ClusterResults | undefined> {
  const scenarios = clusterScenarios.filter((scenario) => options.only.has(scenario.id));
  if (scenarios.length === 0) return undefined;
  if (!needs.ok) {
    console.log(`cluster scenarios skipped: ${needs.reason}`);
    return { status: "skipped", reason: needs.reason };
  }
  let cluster: ReplicaCluster;
  try {
    cluster = await startCluster({
      databaseUrl: needs.databaseUrl,
      redisUrl: needs.redisUrl,
      replicas: REPLICAS,
    });
  } catch (error) {
    const reason = `the replicas did not start: ${describeError(error)}`;
    console.log(`cluster scenarios failed: ${reason}`);
    return { status: "failed", reason };
  }
  const fronts = createFronts(needs.nginx);
  try {
    const topologies = await startTopologies(cluster, fronts);
    const entries = await measure(cluster, topologies, scenarios, options);
    return { status: "ran", setup: CLUSTER_SETUP, entries };
  } catch (error) {
    const reason = describeError(error);
    console.log(`cluster scenarios failed: ${reason}`);
    return { status: "failed", reason };
  } finally {
    await fronts.stop();
    await cluster.stop();
  }
}

async function measure(
  cluster: ReplicaCluster,
  topologies: Topology[],
  scenarios: ClusterScenario[],
  options: BenchOptions,
): Promise<ClusterEntry[]> {
  const timing = { warmupMs: options.warmupMs, durationMs: options.durationMs };
  // Through round-robin, so every replica (and nginx) has run each path before anything counts.
  const spread = topologies.find((topology) => topology.id === "round-robin");
  for (const scenario of scenarios) {
    if (spread) await runOne(cluster, spread, scenario, { warmupMs: 0, durationMs: PRIME_MS });
  }
  const on = (scenario: ClusterScenario, among: readonly Topology[]) =>
    among.filter((topology) => scenario.topologies?.includes(topology.id) ?? true);
  const entries = scenarios.flatMap((scenario) =>
    on(scenario, topologies).map((topology) => ({
      id: scenario.id,
      transport: scenario.transport,
      topology: topology.id,
      title: topology.title,
      runs: [] as ClusterRun[],
    })),
  );
  for (let round = 0; round < options.rounds; round += 1) {
    // Alternate the order, so drift on a shared machine does not favour one topology.
    const ordered = round % 2 === 0 ? topologies : [...topologies].reverse();
    for (const scenario of scenarios) {
      for (const topology of on(scenario, ordered)) {
        const run = await runOne(cluster, topology, scenario, timing);
        const entry = entries.find(
          (candidate) => candidate.id === scenario.id && candidate.topology === topology.id,
        );
        entry?.runs.push(run);
        logClusterRun(round, scenario.transport, topology.title, run);
        await sleep(SETTLE_MS);
      }
    }
  }
  return entries;
}

async function runOne(
  cluster: ReplicaCluster,
  topology: Topology,
  scenario: ClusterScenario,
  timing: Timing,
): Promise<ClusterRun> {
  const front = topology.front;
  const observer = observeCluster(
    cluster.replicas.map((replica) => replica.port),
    front ? () => front.cpuMs() : undefined,
  );
  const options: HttpLoadOptions = {
    serverCpuMs: () => cluster.cpuMs(),
    load: observer.load,
    openAttempts: OPEN_ATTEMPTS,
    onOpenFailure: observer.noteOpenFailure,
  };
  if (topology.clientHeaders) options.clientHeaders = topology.clientHeaders;
  const load = await scenario.run(topology.target, timing, options).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const { aborted, ...seen } = observer.observation();
  const run: ClusterRun = seen;
  if ("result" in load) run.load = load.result;
  else run.aborted = aborted ?? describeError(load.error);
  return run;
}

function describeError(error: unknown): string {
  const text = (value: unknown) => (value instanceof Error ? value.message : String(value));
  return error instanceof Error && error.cause !== undefined
    ? `${text(error)}: ${text(error.cause)}`
    : text(error);
}
