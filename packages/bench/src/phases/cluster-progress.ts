import type { ClusterRun } from "../results-cluster.js";

/** One line per cluster run as it finishes, with what failed if anything did. */
export function logClusterRun(round: number, transport: string, title: string, run: ClusterRun): void {
  const share = run.crossings ? `${(run.crossings.share * 100).toFixed(1)}%` : "–";
  const figures = run.load
    ? `${Math.round(run.load.callsPerSecond).toString().padStart(6)}/s  p50 ${run.load.p50Ms.toFixed(2)} ms  ` +
      `p99 ${run.load.p99Ms.toFixed(2)} ms  `
    : "did not finish  ";
  console.log(
    `  round ${round + 1}  cluster ${transport}  ${title.padEnd(22)} ${figures}crossed ${share}  ` +
      `errors ${run.failedCalls} calls, ${run.failedOpens} session openings`,
  );
  if (run.aborted) console.log(`      stopped: ${run.aborted}`);
  for (const sample of run.errorSamples) console.log(`      ${sample.count}× ${sample.message}`);
}
