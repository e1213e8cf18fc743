import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import type { Logger } from "../log/log.js";
import type { Metrics } from "../metrics/metrics.js";
import { sanitizeArguments, sanitizeText } from "./redact.js";

/** What the call wrapper knows about a finished tool call. */
export interface AuditEntry {
  at: Date;
  tool: string;
  principal: string;
  transport: string;
  sessionId?: string | undefined;
  durationMs: number;
  outcome: "ok" | "error" | "invalid" | "timeout" | "cancelled" | "denied" | "rate_limited";
  error?: string | undefined;
  /** Raw arguments; sanitized when the batch is written, off the call's path. */
  arguments: unknown;
}

export interface AuditQueueOptions {
  db: Db;
  log: Logger;
  metrics: Metrics;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Records held while the database is away; past this bound new records are dropped and counted. */
  maxQueued?: number;
  maxBackoffMs?: number;
}

export interface AuditQueue {
  /** Queues a record; never waits and never throws. */
  record(entry: AuditEntry): void;
  readonly depth: number;
  readonly dropped: number;
  /** Writes everything queued; resolves false if the database refused until the deadline. */
  flush(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** Batches audit records into multi-row inserts; holds them (bounded) through a database outage. */
export function createAuditQueue({
  db,
  log,
  metrics,
  batchSize = 500,
  flushIntervalMs = 200,
  maxQueued = 100_000,
  maxBackoffMs = 5_000,
}: AuditQueueOptions): AuditQueue {
  let queue: AuditEntry[] = [];
  let dropped = 0;
  let writing: Promise<void> | undefined;
  let failures = 0;
  let retryAt = 0;

  metrics.observeAuditQueue(() => queue.length);

  async function writeBatch(): Promise<void> {
    const batch = queue.slice(0, batchSize);
    try {
      await db.execute(insertBatch(batch));
      // Only now leave the queue: a failed insert keeps its records for the next attempt.
      queue = queue.slice(batch.length);
      metrics.auditWritten.inc(batch.length);
      if (failures > 0) log.info({ pending: queue.length }, "audit writes resumed");
      failures = 0;
    } catch (error) {
      if (failures === 0)
        log.warn({ err: errorMessage(error), pending: queue.length }, "audit write failed; will retry");
      failures += 1;
      retryAt = Date.now() + Math.min(maxBackoffMs, 100 * 2 ** failures);
    }
  }

  function drain(): Promise<void> {
    writing ??= (async () => {
      while (queue.length > 0 && Date.now() >= retryAt) await writeBatch();
    })().finally(() => {
      writing = undefined;
    });
    return writing;
  }

  const timer = setInterval(() => {
    if (queue.length > 0) void drain();
  }, flushIntervalMs);
  timer.unref();

  return {
    record(entry) {
      if (queue.length >= maxQueued) {
        dropped += 1;
        metrics.auditDropped.inc();
        if (dropped === 1 || dropped % 1_000 === 0)
          log.error({ dropped }, "audit queue full; records dropped");
        return;
      }
      queue.push(entry);
      if (queue.length >= batchSize) void drain();
    },
    get depth() {
      return queue.length;
    },
    get dropped() {
      return dropped;
    },
    async flush(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length > 0 && Date.now() < deadline) {
        await drain();
        if (queue.length > 0) await sleep(Math.max(0, Math.min(retryAt, deadline) - Date.now()) || 50);
      }
      if (queue.length > 0)
        log.error({ lost: queue.length }, "audit records could not be written before shutdown");
      return queue.length === 0;
    },
    close() {
      clearInterval(timer);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One statement with one jsonb parameter for the whole batch. drizzle's multi-row `values()` binds
 * nine parameters a row and checks each; this costs about a third as much, which matters when the
 * embedded database shares the event loop with the tool calls.
 */
function insertBatch(batch: AuditEntry[]) {
  const rows = batch.map((entry) => ({
    at: entry.at.toISOString(),
    tool: sanitizeText(entry.tool),
    principal: entry.principal,
    transport: entry.transport,
    session_id: entry.sessionId ?? null,
    duration_ms: entry.durationMs,
    outcome: entry.outcome,
    error: entry.error === undefined ? null : sanitizeText(entry.error),
    arguments: sanitizeArguments(entry.arguments) ?? null,
  }));
  return sql`insert into audit_log (at, tool, principal, transport, session_id, duration_ms, outcome, error, arguments)
    select at, tool, principal, transport, session_id, duration_ms, outcome, error, arguments
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      at timestamptz, tool text, principal text, transport text, session_id text,
      duration_ms integer, outcome text, error text, arguments jsonb)`;
}
