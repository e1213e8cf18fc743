import {
  type AppContext,
  type Config,
  ConfigError,
  type ContextOptions,
  createContext,
  createLogger,
  describeError,
  loadConfig,
  type RunningService,
  startAuditRetention,
} from "@mcp-tools/core";

/** A signal repeated within this long of the first is the same request to stop. */
const SAME_SIGNAL_MS = 1_000;

export interface Composition {
  services: RunningService[];
  /** Settles when the services end on their own (stdin closed); shutdown then follows. */
  done?: Promise<void>;
}

/**
 * The process edge every entry point shares: parse config (exit 1 naming every bad key), build
 * the context, start the services, and shut down gracefully on SIGTERM/SIGINT (a second one, from
 * SAME_SIGNAL_MS after the first, exits at once): stop taking sessions, let in-flight calls finish within the grace period, end open
 * streams, flush the audit queue, close the database and the bus, exit 0.
 */
export interface RunOptions {
  /** The environment to configure from; loadConfig reads the process environment when absent. */
  env?: NodeJS.ProcessEnv;
  /** Extra context options, e.g. another tool list (tests). */
  context?: Omit<ContextOptions, "log">;
}

export async function runService(
  name: string,
  compose: (ctx: AppContext) => Promise<Composition>,
  { env, context }: RunOptions = {},
): Promise<void> {
  const config = loadOrExit(env);
  const log = createLogger({ level: config.LOG_LEVEL }).child({ service: name });
  const ctx = await createContext(config, { ...context, log }).catch((error: unknown) =>
    exitWith(log, error, "cannot start"),
  );
  const { services, done } = await compose(ctx).catch((error: unknown) =>
    exitWith(log, error, "cannot start"),
  );
  // The embedded database is this process's alone, so its audit trail is pruned here, whatever the
  // process serves (PostgreSQL's, shared by every replica, by the admin service); from when it is
  // open, so that building the first pass's query does not delay the first answer.
  const retention =
    ctx.db.kind === "pglite"
      ? ctx.ready.then(
          () =>
            startAuditRetention({
              db: ctx.db.db,
              log,
              retentionDays: config.AUDIT_RETENTION_DAYS,
              vacuum: true,
            }),
          () => undefined,
        )
      : undefined;

  let shuttingDown = false;
  const shutdown = async (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const grace = config.SHUTDOWN_GRACE_MS;
    log.info({ reason, inFlight: ctx.lifecycle.inFlight, graceMs: grace }, "shutting down");
    // Past the grace period and a margin for closing connections, give up rather than hang.
    setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, grace + 5_000).unref();
    ctx.lifecycle.startDraining();
    const idle = await ctx.lifecycle.idle(grace);
    if (!idle)
      log.warn({ inFlight: ctx.lifecycle.inFlight }, "grace period over; abandoning in-flight calls");
    await Promise.allSettled(services.map((service) => service.stop()));
    await (await retention)?.stop();
    await ctx.close();
    log.info("stopped");
    process.exit(0);
  };
  let firstSignalAt = 0;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (firstSignalAt === 0) {
        firstSignalAt = Date.now();
        // Already stopping because the client closed stdin (a supervisor's SIGTERM after that, say):
        // this is the first request to stop, not the second, so the stop it asks for goes on. Exiting
        // here would leave a first start's initdb to finish its data folder alone.
        if (shuttingDown) log.info({ signal }, "signal while stopping: the stop goes on");
        else void shutdown(signal);
        return;
      }
      // Ctrl-C reaches every process of the terminal's group: `pnpm start` passes it on too, so
      // one keystroke arrives twice. Only a later one means "stop waiting".
      if (Date.now() - firstSignalAt < SAME_SIGNAL_MS) {
        log.info({ signal }, "signal again at once: taken as the same request to stop");
        return;
      }
      log.warn({ signal }, "second signal; exiting now");
      process.exit(1);
    });
  }
  void done?.then(() => shutdown("input closed"));
}

function loadOrExit(env: NodeJS.ProcessEnv | undefined): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

function exitWith(log: ReturnType<typeof createLogger>, error: unknown, message: string): never {
  log.fatal({ err: error }, `${message}: ${describeError(error)}`);
  process.exit(1);
}
