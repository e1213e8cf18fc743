import { Counter, Gauge, Histogram, loadDefaultMetrics, Registry } from "./prom-client.js";

/** The server's Prometheus metrics, in a registry of its own (several contexts may share a process). */
export interface Metrics {
  readonly registry: Registry;
  readonly toolCalls: Counter<"tool" | "outcome" | "transport">;
  readonly toolCallDuration: Histogram<"tool" | "transport">;
  readonly sessionsActive: Gauge<"transport">;
  readonly auditQueueDepth: Gauge;
  readonly auditQueueBytes: Gauge;
  readonly auditDropped: Counter;
  readonly auditWritten: Counter;
  /** Audit rows the database refused, written with a marker in place of their arguments. */
  readonly auditRejected: Counter;
  /** Requests for sessions held by another process, relayed there over the bus, by how they went. */
  readonly relayedRequests: Counter<"route" | "outcome">;
  /** Relay frames dropped unread (unsigned, forged, stale, replayed, misaddressed…), by reason. */
  readonly relayFramesRejected: Counter<"reason">;
  /** Sessions, streams, calls and batches refused by a limit per caller, by limit. */
  readonly limitRefusals: Counter<"limit">;
  /** Streams closed because their client stopped reading while data piled up, by transport. */
  readonly slowStreamsClosed: Counter<"transport">;
  /**
   * Adds Node's `process_*` and `nodejs_*` defaults, once. Called by whatever serves `/metrics`:
   * their monitors (event-loop delay, GC) cost a process that nobody scrapes, such as stdio's,
   * for nothing, and so does loading them.
   */
  exposeProcessMetrics(): Promise<void>;
  /** Counts one tool call and its duration. */
  recordCall(tool: string, transport: string, outcome: string, seconds: number): void;
  /** Reports the audit queue's depth and estimated bytes at each scrape. */
  observeAuditQueue(depth: () => number, bytes?: () => number): void;
  /** Reports, at each scrape, the bytes waiting unread on open streams now and the most ever on one. */
  observeStreamBuffers(source: () => { waiting: number; peak: number }): void;
}

/** Creates the registry and the server's metrics; Node's defaults come with `exposeProcessMetrics`. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  let processMetrics: Promise<void> | undefined;
  const registers = [registry];
  let auditDepth = () => 0;
  let auditBytes = () => 0;
  let streamBuffers = () => ({ waiting: 0, peak: 0 });
  const toolCalls = new Counter({
    name: "mcp_tool_calls_total",
    help: "Tool calls by tool, outcome and transport",
    labelNames: ["tool", "outcome", "transport"] as const,
    registers,
  });
  const toolCallDuration = new Histogram({
    name: "mcp_tool_call_duration_seconds",
    help: "Tool call duration in seconds",
    labelNames: ["tool", "transport"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  new Gauge({
    name: "mcp_stream_buffered_bytes",
    help: "Bytes written to open SSE streams that their clients have not read yet",
    registers,
    collect() {
      this.set(streamBuffers().waiting);
    },
  });
  new Gauge({
    name: "mcp_stream_buffered_bytes_peak",
    help: "The most bytes that have waited unread on one SSE stream since the process started",
    registers,
    collect() {
      this.set(streamBuffers().peak);
    },
  });
  // prom-client hashes the label object on every observation; on the call path we keep each
  // label combination's child instead (there are only tools × transports × outcomes of them).
  const callCounters = new Map<string, { inc(): void }>();
  const callTimers = new Map<string, { observe(value: number): void }>();
  return {
    registry,
    exposeProcessMetrics() {
      processMetrics ??= loadDefaultMetrics().then((collectDefaultMetrics) => {
        collectDefaultMetrics({ register: registry });
      });
      return processMetrics;
    },
    toolCalls,
    toolCallDuration,
    sessionsActive: new Gauge({
      name: "mcp_sessions_active",
      help: "Open MCP sessions in this process by transport",
      labelNames: ["transport"],
      registers,
    }),
    auditQueueDepth: new Gauge({
      name: "mcp_audit_queue_depth",
      help: "Audit records waiting to be written",
      registers,
      collect() {
        this.set(auditDepth());
      },
    }),
    auditQueueBytes: new Gauge({
      name: "mcp_audit_queue_bytes",
      help: "Estimated memory held by audit records waiting to be written",
      registers,
      collect() {
        this.set(auditBytes());
      },
    }),
    auditDropped: new Counter({
      name: "mcp_audit_dropped_total",
      help: "Audit records lost: the queue was full, or the database refused one even without its arguments",
      registers,
    }),
    auditRejected: new Counter({
      name: "mcp_audit_rejected_total",
      help: "Audit rows the database refused, written with a marker in place of their arguments",
      registers,
    }),
    auditWritten: new Counter({
      name: "mcp_audit_written_total",
      help: "Audit records written to the database",
      registers,
    }),
    relayedRequests: new Counter({
      name: "mcp_relayed_requests_total",
      help: "Requests for sessions held by another process, relayed to it, by route and outcome",
      labelNames: ["route", "outcome"] as const,
      registers,
    }),
    relayFramesRejected: new Counter({
      name: "mcp_relay_frames_rejected_total",
      help: "Relay frames dropped unread: unsigned, bad signature, malformed, misaddressed, stale, replayed, or a reply from another process than the one asked",
      labelNames: ["reason"] as const,
      registers,
    }),
    limitRefusals: new Counter({
      name: "mcp_limit_refusals_total",
      help: "Requests refused by a limit per caller (sessions, streams, in_flight, batch)",
      labelNames: ["limit"] as const,
      registers,
    }),
    slowStreamsClosed: new Counter({
      name: "mcp_slow_streams_closed_total",
      help: "Streams closed because their client stopped reading, by transport",
      labelNames: ["transport"] as const,
      registers,
    }),
    recordCall(tool, transport, outcome, seconds) {
      const timerKey = `${tool}\u0000${transport}`;
      let timer = callTimers.get(timerKey);
      if (!timer) {
        timer = toolCallDuration.labels(tool, transport);
        callTimers.set(timerKey, timer);
      }
      timer.observe(seconds);
      const counterKey = `${timerKey}\u0000${outcome}`;
      let counter = callCounters.get(counterKey);
      if (!counter) {
        counter = toolCalls.labels(tool, outcome, transport);
        callCounters.set(counterKey, counter);
      }
      counter.inc();
    },
    observeAuditQueue(depth, bytes = () => 0) {
      auditDepth = depth;
      auditBytes = bytes;
    },
    observeStreamBuffers(source) {
      streamBuffers = source;
    },
  };
}
