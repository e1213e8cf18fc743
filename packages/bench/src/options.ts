import { parseArgs } from "node:util";

export const SCENARIO_IDS = [
  "mcp-32",
  "mcp-1",
  "modern-32",
  "modern-1",
  "sse-32",
  "sse-1",
  "http-tool-32",
  "http-tool-1",
  "stdio",
  "memory",
  "spawn-existing",
  "spawn-new",
  "spawn-memory",
  "spawn-discover",
  "idle-stdio",
  "idle-stdio-new",
  "idle-launcher",
  "idle-launcher-new",
  "idle-launcher-pg",
  "cluster-mcp",
  "cluster-sse",
  "cluster-modern",
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface BenchOptions {
  warmupMs: number;
  durationMs: number;
  /** Each round runs every scenario against each of its servers, the order reversed every other round. */
  rounds: number;
  idleSessions: number;
  /** Spawns per start-up scenario and server; the figure is their median. */
  spawns: number;
  only: ReadonlySet<ScenarioId>;
  /**
   * When set, the HTTP servers run with `--cpu-prof` and write their profiles to `<dir>/ours`,
   * `<dir>/bare` and `<dir>/bare-v2`.
   */
  cpuProfDir: string | undefined;
}

/** Idle sessions per memory run: the count the memory target is set at. */
export const IDLE_SESSIONS = 5_000;
/** Spawns per start-up scenario: few, since a new data folder takes seconds each (issue 10 measured 5). */
export const SPAWNS = 5;

const USAGE = `pnpm bench [--warmup=ms] [--duration=ms] [--rounds=n] [--idle-sessions=n] [--spawns=n] [--only=${SCENARIO_IDS.join(",")}] [--cpu-prof=dir]
  (or BENCH_WARMUP_MS, BENCH_DURATION_MS, BENCH_ROUNDS, BENCH_IDLE_SESSIONS, BENCH_SPAWNS, BENCH_ONLY, BENCH_CPU_PROF)
  stdio, spawn-*, idle-stdio and idle-launcher* build the bundles first (pnpm run build); idle-launcher-pg needs DATABASE_URL
  cluster-mcp, cluster-sse, cluster-modern need nginx (BENCH_NGINX, or on PATH or in sbin), DATABASE_URL and REDIS_URL`;

/** A bad flag, or `--help`: main prints the message alone, without a stack. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Flags win over environment variables; every value is bounded so a run always ends by itself. */
export function parseOptions(argv: string[], env: Record<string, string | undefined>): BenchOptions {
  const values = readFlags(argv);
  if (values.help) throw new UsageError(USAGE);
  return {
    warmupMs: bounded("warmup", values.warmup ?? env.BENCH_WARMUP_MS, 1_000, 0, 60_000),
    durationMs: bounded("duration", values.duration ?? env.BENCH_DURATION_MS, 5_000, 100, 120_000),
    rounds: bounded("rounds", values.rounds ?? env.BENCH_ROUNDS, 2, 1, 10),
    // At most what servers/ours.ts lets its one key hold (MAX_SESSIONS_PER_CALLER).
    idleSessions: bounded(
      "idle-sessions",
      values["idle-sessions"] ?? env.BENCH_IDLE_SESSIONS,
      IDLE_SESSIONS,
      1,
      10_000,
    ),
    spawns: bounded("spawns", values.spawns ?? env.BENCH_SPAWNS, SPAWNS, 1, 50),
    only: scenarios(values.only ?? env.BENCH_ONLY),
    cpuProfDir: values["cpu-prof"] ?? env.BENCH_CPU_PROF,
  };
}

function bounded(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}\n${USAGE}`,
    );
  }
  return value;
}

function scenarios(raw: string | undefined): ReadonlySet<ScenarioId> {
  if (!raw) return new Set(SCENARIO_IDS);
  const picked = raw.split(",").map((id) => id.trim());
  const unknown = picked.filter((id) => !(SCENARIO_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) throw new UsageError(`Unknown scenario ${unknown.join(", ")}\n${USAGE}`);
  return new Set(picked as ScenarioId[]);
}

function readFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        warmup: { type: "string" },
        duration: { type: "string" },
        rounds: { type: "string" },
        "idle-sessions": { type: "string" },
        spawns: { type: "string" },
        only: { type: "string" },
        "cpu-prof": { type: "string" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}
