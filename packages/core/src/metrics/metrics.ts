import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** The server's Prometheus metrics, in a registry of its own (several contexts may share a process). */
export interface Metrics {
  readonly registry: Registry;
  readonly toolCalls: Counter<"tool" | "outcome" | "transport">;
  readonly toolCallDuration: Histogram<"tool" | "transport">;
  readonly sessionsActive: Gauge<"transport">;
  readonly auditQueueDepth: Gauge;
  readonly auditDropped: Counter;
  readonly auditWritten: Counter;
  /** Reports the audit queue's depth at each scrape. */
  observeAuditQueue(depth: () => number): void;
}

/** Creates the registry and every metric; `process_*` and `nodejs_*` defaults included. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let auditDepth = () => 0;
  return {
    registry,
    toolCalls: new Counter({
      name: "mcp_tool_calls_total",
      help: "Tool calls by tool, outcome and transport",
      labelNames: ["tool", "outcome", "transport"],
      registers,
    }),
    toolCallDuration: new Histogram({
      name: "mcp_tool_call_duration_seconds",
      help: "Tool call duration in seconds",
      labelNames: ["tool", "transport"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
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
    auditDropped: new Counter({
      name: "mcp_audit_dropped_total",
      help: "Audit records dropped because the queue was full",
      registers,
    }),
    auditWritten: new Counter({
      name: "mcp_audit_written_total",
      help: "Audit records written to the database",
      registers,
    }),
    observeAuditQueue(depth) {
      auditDepth = depth;
    },
  };
}
