/// <reference path="./prom-client-lib.d.ts" />
// prom-client's entry also loads its cluster aggregator (cluster, child_process, dgram), its push
// gateway (http, https, zlib) and its default metrics (perf_hooks, v8): about 30 ms of a stdio
// server's first answer, for a process that nobody scrapes. The classes every process uses come
// from their own files (typed in prom-client-lib.d.ts); the defaults load when something serves
// /metrics.
import type { collectDefaultMetrics } from "prom-client";
import Counter from "prom-client/lib/counter.js";
import Gauge from "prom-client/lib/gauge.js";
import Histogram from "prom-client/lib/histogram.js";
import Registry from "prom-client/lib/registry.js";

export { Counter, Gauge, Histogram, Registry };

export async function loadDefaultMetrics(): Promise<typeof collectDefaultMetrics> {
  return (await import("prom-client/lib/defaultMetrics.js")).default;
}
