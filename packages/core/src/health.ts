import type { AppContext } from "./context.js";
import { pendingMigrations } from "./db/migrate.js";

export interface Readiness {
  ready: boolean;
  /** One entry per check that failed, e.g. "database: connection refused". */
  reasons: string[];
}

const CHECK_TIMEOUT_MS = 2_000;

/** Readiness: not draining, database and bus answering, migrations applied. */
export async function checkReadiness(ctx: AppContext): Promise<Readiness> {
  if (ctx.lifecycle.draining) return { ready: false, reasons: ["draining: shutting down"] };
  const checks: Array<[string, () => Promise<string | undefined>]> = [
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
  const results = await Promise.all(
    checks.map(async ([name, check]) => {
      try {
        const problem = await withTimeout(check(), CHECK_TIMEOUT_MS);
        return problem ? `${name}: ${problem}` : undefined;
      } catch (error) {
        return `${name}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }),
  );
  const reasons = results.filter((reason): reason is string => reason !== undefined);
  return { ready: reasons.length === 0, reasons };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
