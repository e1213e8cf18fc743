import { cpus, loadavg } from "node:os";
import { loadBenchConfig } from "./config.js";
import { UsageError } from "./options.js";
import { runCluster } from "./phases/cluster.js";
import { runHttpTool } from "./phases/http-tool.js";
import { runIdleMemory } from "./phases/memory.js";
import { runStartup } from "./phases/startup.js";
import { runHttpThroughput, runStdioThroughput } from "./phases/throughput.js";
import { printReport, writeReport } from "./report.js";
import { printClusterReport } from "./report-cluster.js";
import { printHttpToolReport } from "./report-http-tool.js";
import type { BenchResults } from "./results.js";
import { targetSetups } from "./targets.js";

// `pnpm bench`: our server against bare SDK v1 and v2 servers, and our server as a cluster, in one run on this machine.
async function main() {
  const { options, cluster: clusterNeeds, databaseUrl } = loadBenchConfig();
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  console.log(
    `mcp-bench: ${options.warmupMs} ms warm-up + ${options.durationMs} ms per run, ${options.rounds} round(s); ` +
      `load average ${describeLoad(loadAtStart)}`,
  );
  const throughput = [...(await runHttpThroughput(options)), ...(await runStdioThroughput(options))];
  const httpTool = await runHttpTool(options);
  const memory = await runIdleMemory(options);
  const { spawn, idle } = await runStartup(options, databaseUrl);
  const results: BenchResults = {
    startedAt,
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      loadAverage: { atStart: loadAtStart, atEnd: [] },
    },
    setup: targetSetups,
    options: { ...options, only: [...options.only] },
    throughput,
    memory,
    spawn,
    idle,
  };
  if (httpTool) results.httpTool = httpTool;
  const cluster = await runCluster(options, clusterNeeds);
  if (cluster) results.cluster = cluster;
  const loadAtEnd = loadavg();
  results.machine.loadAverage.atEnd = loadAtEnd;
  console.log(
    `\nload average ${describeLoad(loadAtStart)} at the start, ${describeLoad(loadAtEnd)} at the end`,
  );
  printReport(results);
  printHttpToolReport(results.httpTool);
  printClusterReport(results.cluster);
  console.log(`\nresults: ${await writeReport(results)}`);
}

/** Others' work on a shared machine moves every figure: the run says how much there was. */
const describeLoad = (load: number[]) => `${load.map((value) => value.toFixed(2)).join(", ")} (1, 5, 15 min)`;

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
