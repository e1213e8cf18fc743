import { cpus } from "node:os";
import { loadBenchConfig } from "./config.js";
import { UsageError } from "./options.js";
import { runCluster } from "./phases/cluster.js";
import { runIdleMemory } from "./phases/memory.js";
import { runHttpThroughput, runStdioThroughput } from "./phases/throughput.js";
import { printReport, writeReport } from "./report.js";
import { printClusterReport } from "./report-cluster.js";
import type { BenchResults } from "./results.js";
import { targetSetups } from "./targets.js";

// `pnpm bench`: our server against bare SDK v1 and v2 servers, and our server as a cluster, in one run on this machine.
async function main() {
  const { options, cluster: clusterNeeds } = loadBenchConfig();
  console.log(
    `mcp-bench: ${options.warmupMs} ms warm-up + ${options.durationMs} ms per run, ${options.rounds} round(s)`,
  );
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
    setup: targetSetups,
    options: { ...options, only: [...options.only] },
    throughput: [...(await runHttpThroughput(options)), ...(await runStdioThroughput(options))],
    memory: await runIdleMemory(options),
  };
  const cluster = await runCluster(options, clusterNeeds);
  if (cluster) results.cluster = cluster;
  printReport(results);
  printClusterReport(results.cluster);
  console.log(`\nresults: ${await writeReport(results)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
