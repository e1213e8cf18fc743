import type { AppContext } from "./context.js";
import { pendingMigrations } from "./db/migrate.js";

export interface Readiness {
  ready: boolean;
  /** One entry per check that failed and makes the process unready, e.g. "database: connection refused". */
  reasons: string[];
  /** Failed checks the process serves through, e.g. "bus: connection refused". */
  degraded: string[];
}

/** One dependency check: whether it passed, how long it took, and why not. */
export interface DependencyCheck {
  name: "database" | "bus" | "migrations";
  ok: boolean;
  latencyMs: number;
  problem?: string | undefined;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Readiness: not draining, database answering, migrations applied. A bus outage leaves the process
 * ready but degraded: every replica shares the one Redis, and taking them all out of the load
 * balancer would stop the sessions each could still serve by itself.
 */
export async function checkReadiness(ctx: AppContext): Promise<Readiness> {
  if (ctx.lifecycle.draining) return { ready: false, reasons: ["draining: shutting down"], degraded: [] };
  const failed = (await checkDependencies(ctx)).filter((check) => !check.ok);
  const describe = (check: DependencyCheck) => `${check.name}: ${check.problem}`;
  const reasons = failed.filter((check) => check.name !== "bus").map(describe);
  const degraded = failed.filter((check) => check.name === "bus").map(describe);
  return { ready: reasons.length === 0, reasons, degraded };
}

/** Pings the database and the bus and counts pending migrations, side by side, each with its latency. */
export async function checkDependencies(
  ctx: Pick<AppContext, "db" | "bus">,
  { timeoutMs = CHECK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<DependencyCheck[]> {
  const checks: Array<[DependencyCheck["name"], () => Promise<string | undefined>]> = [
    ["database", async () => void (await ctx.db.ping())],
    ["bus", async () => void (await ctx.bus.ping())],
    [
      "migrations",
      async () => {
        const pending = await pendingMigrations(ctx.db);
        return pending > 0 ? `${pending} pending` : undefined;
      },
    ],
  ];
  return Promise.all(
    checks.map(async ([name, check]) => {
      const started = performance.now();
      let problem: string | undefined;
      try {
        problem = await withTimeout(check(), timeoutMs);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return { name, ok: problem === undefined, latencyMs, problem };
    }),
  );
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
