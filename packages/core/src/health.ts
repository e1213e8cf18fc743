import type { AppContext } from "./context.js";
import { pendingMigrations } from "./db/migrate.js";

export interface Readiness {
  ready: boolean;
  /** One entry per check that failed and makes the process unready, e.g. "database: not answering". */
  reasons: string[];
  /** Failed checks the process serves through, e.g. "bus: not answering". */
  degraded: string[];
  /** The failed checks themselves, with the errors behind them, for the log. */
  failed: DependencyCheck[];
}

/** One dependency check: whether it passed, how long it took, and why not. */
export interface DependencyCheck {
  name: "database" | "bus" | "migrations";
  ok: boolean;
  latencyMs: number;
  /**
   * Why it failed, in words safe to show anyone (/ready is open to every caller): never the
   * driver's error text, which can carry hosts, users and queries.
   */
  problem?: string | undefined;
  /** The error behind a failure, for the log only. */
  error?: unknown;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Readiness: not draining, database answering, migrations applied. A bus outage leaves the process
 * ready but degraded: every replica shares the one Redis, and taking them all out of the load
 * balancer would stop the sessions each could still serve by itself.
 */
export async function checkReadiness(ctx: AppContext): Promise<Readiness> {
  if (ctx.lifecycle.draining)
    return { ready: false, reasons: ["draining: shutting down"], degraded: [], failed: [] };
  const failed = (await checkDependencies(ctx)).filter((check) => !check.ok);
  const describe = (check: DependencyCheck) => `${check.name}: ${check.problem}`;
  const reasons = failed.filter((check) => check.name !== "bus").map(describe);
  const degraded = failed.filter((check) => check.name === "bus").map(describe);
  return { ready: reasons.length === 0, reasons, degraded, failed };
}

/** Pings the database and the bus and counts pending migrations, side by side, each with its latency. */
export async function checkDependencies(
  ctx: Pick<AppContext, "db" | "bus">,
  { timeoutMs = CHECK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<DependencyCheck[]> {
  const checks: Array<[DependencyCheck["name"], () => Promise<string | undefined>]> = [
    ["database", async () => (ctx.db.state === "open" ? void (await ctx.db.ping()) : notOpen(ctx.db.state))],
    ["bus", async () => void (await ctx.bus.ping())],
    [
      "migrations",
      async () => {
        // The embedded database migrates as it opens: until then, "database" says why not ready.
        if (ctx.db.state !== "open") return undefined;
        const pending = await pendingMigrations(ctx.db);
        return pending > 0 ? `${pending} pending` : undefined;
      },
    ],
  ];
  return Promise.all(
    checks.map(async ([name, check]) => {
      const started = performance.now();
      let problem: string | undefined;
      let error: unknown;
      try {
        problem = await withTimeout(check(), timeoutMs);
      } catch (thrown) {
        error = thrown;
        problem = thrown instanceof CheckTimeout ? thrown.message : "not answering";
      }
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return { name, ok: problem === undefined, latencyMs, problem, error };
    }),
  );
}

const notOpen = (state: "opening" | "failed") =>
  state === "opening" ? "opening" : "could not open (see the log)";

class CheckTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
