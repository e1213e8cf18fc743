import { type LoadResult, runClosedLoop } from "../load/closed-loop.js";
import { countCrossings, RELAYED_METRIC, sumCounter } from "../load/crossings.js";
import type { ClusterRun } from "../results-cluster.js";
import type { LoadRunner } from "../scenarios/http-load.js";

/** What a run observed besides its load result. */
export type Observation = Omit<ClusterRun, "load">;

/** Watches one run: what its load did, and every attempt to open a session that failed. */
export interface ClusterObserver {
  /** Runs the closed loop, reading the replicas' relay counters and nginx's CPU around it. */
  load: LoadRunner;
  noteOpenFailure(error: unknown): void;
  observation(): Observation;
}

const MAX_SAMPLES = 5;

/**
 * The counters are read after the sessions are open and before they close, so the only requests in
 * between are the echo calls the wrapper counts: every one carries a session id, so every one may
 * cross. A replica counts a relay before it answers, so a finished call is already counted.
 */
export function observeCluster(
  replicaPorts: readonly number[],
  nginxCpuMs: () => Promise<number | undefined> = async () => undefined,
): ClusterObserver {
  const observed: Observation = {
    nginxCpuUsPerCall: Number.NaN,
    failedCalls: 0,
    failedOpens: 0,
    errorSamples: [],
  };
  const samples = new Map<string, number>();
  const note = (message: string) => {
    if (samples.has(message) || samples.size < MAX_SAMPLES)
      samples.set(message, (samples.get(message) ?? 0) + 1);
  };
  const load: LoadRunner = async (workers, options) => {
    const before = await readRelayed(replicaPorts);
    const nginxBefore = await nginxCpuMs();
    let calls = 0;
    const counted = workers.map((work) => async () => {
      calls += 1;
      try {
        await work();
      } catch (error) {
        observed.failedCalls += 1;
        note(describe(error));
        throw error;
      }
    });
    let result: LoadResult | undefined;
    let abort: unknown;
    try {
      result = await runClosedLoop(counted, options);
    } catch (error) {
      abort = error;
    }
    const after = await readRelayed(replicaPorts);
    const nginxAfter = await nginxCpuMs();
    observed.crossings = countCrossings(before, after, calls);
    if (nginxBefore !== undefined && nginxAfter !== undefined)
      observed.nginxCpuUsPerCall = ((nginxAfter - nginxBefore) * 1_000) / calls;
    if (abort !== undefined) observed.aborted = describe(abort);
    if (!result) throw abort;
    return result;
  };
  return {
    load,
    noteOpenFailure(error) {
      observed.failedOpens += 1;
      note(`opening a session: ${describe(error)}`);
    },
    observation: () => ({
      ...observed,
      errorSamples: [...samples].map(([message, count]) => ({ message, count })),
    }),
  };
}

/** Each replica's `mcp_relayed_requests_total`, summed over routes and outcomes; /metrics needs no key. */
export async function readRelayed(ports: readonly number[]): Promise<number[]> {
  return Promise.all(
    ports.map(async (port) => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      if (!res.ok) throw new Error(`GET /metrics on ${port} answered ${res.status}`);
      return sumCounter(await res.text(), RELAYED_METRIC);
    }),
  );
}

/** An error's message (and its cause's), with request ids blanked so that alike errors group. */
function describe(error: unknown): string {
  const text = (value: unknown) => (value instanceof Error ? value.message : String(value));
  const cause = error instanceof Error && error.cause !== undefined ? `: ${text(error.cause)}` : "";
  return `${text(error)}${cause}`.replace(/\b([Rr]equest) \d+/g, "$1 N").slice(0, 300);
}
