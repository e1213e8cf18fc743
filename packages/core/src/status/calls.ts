import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { auditLog } from "../db/schema.js";

/** Tool calls in one minute, from the audit log. */
export interface MinuteCalls {
  /** The minute's start, ISO 8601. */
  minute: string;
  calls: number;
  errors: number;
}

export interface CallStats {
  minutes: MinuteCalls[];
  calls: number;
  errors: number;
  /** errors / calls over the window, 0 when there were no calls. */
  errorRate: number;
}

export interface CallStatsOptions {
  /** Window length in minutes, the current minute included. */
  minutes?: number;
  now?: () => Date;
}

/**
 * Calls per minute and errors over the last few minutes, every process's, in one aggregate over
 * audit_log (its `at` index bounds the scan). A call the client cancelled is not an error.
 */
export async function callStats(db: Db, { minutes = 15, now = () => new Date() }: CallStatsOptions = {}) {
  const current = Math.floor(now().getTime() / 60_000);
  const first = current - minutes + 1;
  // Minutes since the epoch: the same bucket whatever the session's time zone.
  const bucket = sql<number>`floor(extract(epoch from ${auditLog.at}) / 60)::bigint`;
  const rows = await db
    .select({
      bucket,
      calls: sql<number>`count(*)::int`,
      errors: sql<number>`(count(*) filter (where ${auditLog.outcome} not in ('ok', 'cancelled')))::int`,
    })
    .from(auditLog)
    .where(sql`${auditLog.at} >= ${new Date(first * 60_000).toISOString()}::timestamptz`)
    .groupBy(bucket);
  const byBucket = new Map(rows.map((row) => [Number(row.bucket), row]));
  const series: MinuteCalls[] = [];
  for (let m = first; m <= current; m += 1) {
    const row = byBucket.get(m);
    series.push({
      minute: new Date(m * 60_000).toISOString(),
      calls: Number(row?.calls ?? 0),
      errors: Number(row?.errors ?? 0),
    });
  }
  const calls = series.reduce((sum, m) => sum + m.calls, 0);
  const errors = series.reduce((sum, m) => sum + m.errors, 0);
  return { minutes: series, calls, errors, errorRate: calls === 0 ? 0 : errors / calls } satisfies CallStats;
}
