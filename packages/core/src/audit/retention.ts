import { lt, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { adminAudit, auditLog } from "../db/schema.js";
import type { Logger } from "../log/log.js";
import { pruneTasks } from "../tasks/store.js";

export interface PruneAuditOptions {
  /** Rows strictly older than this go. */
  olderThan: Date;
  /** Rows per DELETE: each statement stays short, so it never holds locks for long. */
  batchSize?: number;
}

/** How many rows a pruning pass deleted from each table. */
export interface PruneResult {
  toolCalls: number;
  adminActions: number;
}

/** Deletes tool-call and admin-action audit rows older than `olderThan`, in bounded batches. */
export async function pruneAudit(
  db: Db,
  { olderThan, batchSize = 5_000 }: PruneAuditOptions,
): Promise<PruneResult> {
  const toolCalls = await pruneTable(db, auditLog, olderThan, batchSize);
  const adminActions = await pruneTable(db, adminAudit, olderThan, batchSize);
  return { toolCalls, adminActions };
}

async function pruneTable(
  db: Db,
  table: typeof auditLog | typeof adminAudit,
  olderThan: Date,
  batchSize: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    // Postgres has no DELETE … LIMIT; a bounded id sub-select does the same.
    const old = db.select({ id: table.id }).from(table).where(lt(table.at, olderThan)).limit(batchSize);
    const deleted = await db.delete(table).where(sql`${table.id} in (${old})`).returning({ id: table.id });
    total += deleted.length;
    if (deleted.length < batchSize) return total;
  }
}

export interface AuditRetentionOptions {
  db: Db;
  log: Pick<Logger, "info" | "error">;
  retentionDays: number;
  /** How often to prune; hourly by default. */
  intervalMs?: number;
  /**
   * VACUUM the tables after a pass that deleted rows: the embedded database (single-user Postgres)
   * has no autovacuum, and without it the space of deleted rows is never reused, so the folder
   * would grow for ever despite the pruning.
   */
  vacuum?: boolean;
  now?: () => Date;
}

export interface AuditRetention {
  /** Stops the timer and waits for a pass under way. */
  stop(): Promise<void>;
}

/**
 * Prunes the audit tables now and then every `intervalMs`. Every admin replica may run it: the
 * deletes are idempotent. The timer is unref'd so it never keeps a process alive.
 */
export function startAuditRetention({
  db,
  log,
  retentionDays,
  intervalMs = 60 * 60_000,
  vacuum = false,
  now = () => new Date(),
}: AuditRetentionOptions): AuditRetention {
  let running: Promise<void> | undefined;
  const pass = () => {
    if (running) return;
    const olderThan = new Date(now().getTime() - retentionDays * 24 * 60 * 60_000);
    running = pruneAudit(db, { olderThan })
      .then(async (result) => {
        // Tasks past their TTL go in the same sweep (tasks/get already treats them as gone).
        const tasks = await pruneTasks(db, now());
        if (tasks > 0) log.info({ tasks }, "expired tasks deleted");
        if (result.toolCalls + result.adminActions === 0) return;
        log.info({ ...result, olderThan }, "audit pruned");
        if (vacuum) await db.execute(sql`vacuum audit_log, admin_audit`);
      })
      .catch((error: unknown) => log.error({ err: error }, "audit pruning failed"))
      .finally(() => {
        running = undefined;
      });
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
