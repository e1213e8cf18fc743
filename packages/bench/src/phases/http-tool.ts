import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { BenchOptions } from "../options.js";
import { type HttpToolPath, type HttpToolResults, pathLabels } from "../results-http-tool.js";
import { directUpstream, interleavedHttpTool, sessionEcho, sessionHttpTool } from "../scenarios/http-tool.js";
import { UPSTREAM_PORT_FLAG } from "../servers/http-tool.js";
import { profileArgs } from "../servers/set.js";
import { entryPath, type ServerProcess, spawnServer } from "../servers/spawn.js";
import { UPSTREAM_TOOL } from "../servers/upstream-app.js";
import { orderFor, targetLabels, targetSetups } from "../targets.js";
import { logLatencyRun, logPathRun, sleep } from "./progress.js";
import { PRIME_MS, SETTLE_MS } from "./throughput.js";

const CLIENTS = 32;
const PATHS: readonly HttpToolPath[] = ["echo", "tool", "direct"];
const THROUGHPUT_TITLE = `/mcp, ${CLIENTS} sessions`;
const LATENCY_TITLE = "/mcp, 1 session, in turn";
// The target is a median of per-round shares (throughputShare): fewer rounds leave it to one swing.
const MIN_ROUNDS = 5;

const HTTP_TOOL_SETUP =
  `${targetLabels.ours} (${targetSetups.ours}) with an approved HTTP tool, ${UPSTREAM_TOOL}: GET ` +
  "http://127.0.0.1:<port>/echo?text={text}, the answer's /data as structuredContent, checked against " +
  "its outputSchema; EGRESS_ALLOW=127.0.0.1. The upstream: node:http in a process of its own, answering " +
  '{"data":{"text":…}}. echo and the HTTP tool over /mcp with 2025-11-25 sessions; direct: the same ' +
  "GET from node:http keep-alive clients, no MCP server between";

/**
 * The HTTP tool against echo on one server process, and the upstream it calls on its own: 32
 * sessions per path for throughput (`http-tool-32`), and one client taking the paths in turn for
 * the latency our server adds (`http-tool-1`).
 */
export async function runHttpTool(options: BenchOptions): Promise<HttpToolResults | undefined> {
  const [loaded, single] = [options.only.has("http-tool-32"), options.only.has("http-tool-1")];
  if (!loaded && !single) return undefined;
  const timing = { warmupMs: options.warmupMs, durationMs: options.durationMs };
  const prime = { warmupMs: 0, durationMs: PRIME_MS };
  const upstream = await spawnServer("upstream", entryPath("./upstream.ts"), {
    execArgv: profileArgs(options.cpuProfDir, "upstream"),
  });
  let server: ServerProcess | undefined;
  try {
    server = await spawnServer(`${targetLabels.ours} + ${UPSTREAM_TOOL}`, entryPath("./ours-http-tool.ts"), {
      args: [`${UPSTREAM_PORT_FLAG}=${upstream.port}`],
      execArgv: profileArgs(options.cpuProfDir, "ours-http-tool"),
    });
    const run = loadRuns(server, upstream);
    const latencyRun = (timing: Timing) => interleavedHttpTool(server as ServerProcess, upstream, timing);
    if (loaded) for (const path of PATHS) await run[path](prime);
    if (single) await latencyRun(prime);
    const results: HttpToolResults = { setup: HTTP_TOOL_SETUP };
    if (loaded) results.throughput = { title: THROUGHPUT_TITLE, clients: CLIENTS, runs: {} };
    if (single) results.latency = { title: LATENCY_TITLE, runs: {} };
    for (let round = 0; round < Math.max(options.rounds, MIN_ROUNDS); round += 1) {
      for (const path of loaded ? orderFor(round, PATHS) : []) {
        const result = await run[path](timing);
        push(results.throughput?.runs, path, result);
        logPathRun(round, THROUGHPUT_TITLE, pathLabels[path], result);
        await sleep(SETTLE_MS);
      }
      if (!single) continue;
      const turns = await latencyRun(timing);
      for (const path of PATHS) push(results.latency?.runs, path, turns[path]);
      logLatencyRun(
        round,
        LATENCY_TITLE,
        PATHS.map((path) => [pathLabels[path], turns[path]] as const),
      );
      await sleep(SETTLE_MS);
    }
    return results;
  } finally {
    await Promise.all([server?.stop(), upstream.stop()]);
  }
}

type Run = (timing: Timing) => Promise<LoadResult>;

function loadRuns(server: ServerProcess, upstream: ServerProcess): Record<HttpToolPath, Run> {
  return {
    echo: (timing) => sessionEcho(server, CLIENTS, timing),
    tool: (timing) => sessionHttpTool(server, CLIENTS, timing),
    direct: (timing) => directUpstream(upstream, CLIENTS, timing),
  };
}

function push<T>(runs: Partial<Record<HttpToolPath, T[]>> | undefined, path: HttpToolPath, result: T): void {
  if (runs) runs[path] = [...(runs[path] ?? []), result];
}
