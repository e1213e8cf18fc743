import type { Db } from "../db/client.js";
import type { Logger } from "../log/log.js";
import type { Metrics } from "../metrics/metrics.js";
import { insertBatch, isRefusal, withArgumentsRefused } from "./insert.js";
import { type AuditEntry, type AuditRow, type QueuedRow, toQueuedRow } from "./row.js";

export type { AuditEntry };

export interface AuditQueueOptions {
  db: Db;
  log: Logger;
  metrics: Metrics;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Records held while the database is away; past this bound new records are dropped and counted. */
  maxQueued?: number;
  /** The same bound in (estimated) bytes of memory. */
  maxBytes?: number;
  maxBackoffMs?: number;
}

export interface AuditQueue {
  /** Sanitizes and queues a record; never waits and never throws. */
  record(entry: AuditEntry): void;
  readonly depth: number;
  /** Estimated memory the queued records hold. */
  readonly bytes: number;
  /** Records lost: the queue was full, or the database refused one even without its arguments. */
  readonly dropped: number;
  /** Writes everything queued; resolves false if the database refused until the deadline. */
  flush(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/**
 * Batches audit records into multi-row inserts; holds them (bounded) through a database outage.
 * A batch the database refuses is halved until the refused row is found; that row is written with
 * a marker in place of its arguments, or dropped if refused again. The queue always drains.
 */
export function createAuditQueue({
  db,
  log,
  metrics,
  batchSize = 500,
  flushIntervalMs = 200,
  maxQueued = 100_000,
  maxBytes = 64 * 1024 * 1024,
  maxBackoffMs = 5_000,
}: AuditQueueOptions): AuditQueue {
  let queue: QueuedRow[] = [];
  let queuedBytes = 0;
  let dropped = 0;
  let rejected = 0;
  let writing: Promise<void> | undefined;
  let failures = 0;
  let retryAt = 0;
  // Rows per insert: batchSize, halved while looking for a refused row, doubled back after each success.
  let limit = batchSize;

  metrics.observeAuditQueue(
    () => queue.length,
    () => queuedBytes,
  );

  function remove(count: number) {
    for (let i = 0; i < count; i++) queuedBytes -= queue[i]?.bytes ?? 0;
    queue = queue.slice(count);
  }

  function drop() {
    dropped += 1;
    metrics.auditDropped.inc();
  }

  function dropForSpace() {
    drop();
    if (dropped === 1 || dropped % 1_000 === 0) log.error({ dropped }, "audit queue full; records dropped");
  }

  async function writeBatch(): Promise<void> {
    const batch = queue.slice(0, limit);
    try {
      await db.execute(insertBatch(batch.map((queued) => queued.json)));
      // Only now leave the queue: a failed insert keeps its records for the next attempt.
      remove(batch.length);
      metrics.auditWritten.inc(batch.length);
      if (failures > 0) log.info({ pending: queue.length }, "audit writes resumed");
      failures = 0;
      limit = Math.min(batchSize, limit * 2);
    } catch (error) {
      if (isRefusal(error)) refused(batch, error);
      else unreachable(error);
    }
  }

  function refused(batch: QueuedRow[], error: unknown) {
    const [first] = batch;
    if (batch.length > 1 || !first) {
      if (limit === batchSize)
        log.warn({ err: error, rows: batch.length }, "audit batch refused; finding the row");
      limit = Math.ceil(batch.length / 2);
      return;
    }
    // Logged sparingly: a schema change that refuses every row must not flood the log as well.
    rejected += 1;
    const { tool, at } = JSON.parse(first.json) as AuditRow;
    const fields = { err: error, tool, at, rejected };
    const logIt = rejected === 1 || rejected % 1_000 === 0;
    if (!first.marked) {
      metrics.auditRejected.inc();
      if (logIt) log.error(fields, "audit row refused; writing it without its arguments");
      queue[0] = { ...first, json: withArgumentsRefused(first.json, error), marked: true };
      return;
    }
    remove(1);
    drop();
    if (logIt) log.error(fields, "audit row refused even without its arguments; dropped");
  }

  function unreachable(error: unknown) {
    if (failures === 0) log.warn({ err: error, pending: queue.length }, "audit write failed; will retry");
    failures += 1;
    retryAt = Date.now() + Math.min(maxBackoffMs, 100 * 2 ** failures);
  }

  function drain(): Promise<void> {
    writing ??= (async () => {
      while (queue.length > 0 && Date.now() >= retryAt) {
        await writeBatch();
        // What arrived while that batch was written waits for the next tick, unless a whole batch
        // is waiting: written as it came, it kept the database busy with inserts of a few rows each,
        // whose cost is mostly per statement (the embedded database's thread at a core's worth).
        if (queue.length < limit) break;
      }
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
      if (queue.length >= maxQueued) return dropForSpace();
      const queued = toQueuedRow(entry);
      if (queuedBytes + queued.bytes > maxBytes) return dropForSpace();
      queue.push(queued);
      queuedBytes += queued.bytes;
      if (queue.length >= batchSize) void drain();
    },
    get depth() {
      return queue.length;
    },
    get bytes() {
      return queuedBytes;
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
