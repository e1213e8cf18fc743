import type { AppContext } from "../context.js";
import { checkDependencies, type DependencyCheck } from "../health.js";
import { listProcesses, sessionTotals } from "../presence/read.js";
import type { PresenceRecord } from "../presence/record.js";
import { type CallStats, callStats } from "./calls.js";

/** What the admin dashboard shows, as data. */
export interface Dashboard {
  /** Without the errors behind failures: those go to the log, never into a page or an answer. */
  checks: Array<Omit<DependencyCheck, "error">>;
  processes: PresenceRecord[];
  /** Open MCP sessions by transport, summed over every process. */
  sessions: Record<string, number>;
  /** Null when the database did not answer (its check says why). */
  calls: CallStats | null;
  /** Audit queues summed over every process; each process's own figures are in `processes`. */
  audit: { depth: number; dropped: number };
}

/** Health, presence, call rates and audit queues, gathered side by side. */
export async function getDashboard(
  ctx: Pick<AppContext, "db" | "bus">,
  { now }: { now?: () => Date } = {},
): Promise<Dashboard> {
  const [checks, processes, calls] = await Promise.all([
    checkDependencies(ctx),
    // The bus being down is reported by its check; the page still shows what it can.
    listProcesses(ctx.bus).catch(() => []),
    callStats(ctx.db.db, { now }).catch(() => null),
  ]);
  const audit = { depth: 0, dropped: 0 };
  for (const process of processes) {
    audit.depth += process.audit.depth;
    audit.dropped += process.audit.dropped;
  }
  return {
    checks: checks.map(({ error: _, ...check }) => check),
    processes,
    sessions: sessionTotals(processes),
    calls,
    audit,
  };
}
