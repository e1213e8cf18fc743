import { type BenchOptions, parseOptions } from "./options.js";
import { type ClusterRequirements, clusterRequirements } from "./phases/cluster-requirements.js";

/** Everything `pnpm bench` takes from its command line and its environment. */
export interface BenchConfig {
  options: BenchOptions;
  /** nginx, PostgreSQL and Redis for the cluster scenarios, or why they cannot run. */
  cluster: ClusterRequirements;
  /** DATABASE_URL: the PostgreSQL server the launcher's reference memory row runs on, in a fresh database. */
  databaseUrl: string | undefined;
}

/** Reads the flags and the environment once, at start; main passes the result down. */
export function loadBenchConfig(
  argv: string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): BenchConfig {
  return {
    options: parseOptions(argv, env),
    cluster: clusterRequirements(env),
    databaseUrl: env.DATABASE_URL || undefined,
  };
}
