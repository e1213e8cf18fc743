import { type AuditQueue, createAuditQueue } from "./audit/queue.js";
import type { Bus } from "./bus/bus.js";
import { createBus } from "./bus/create.js";
import type { Config } from "./config/config.js";
import type { Database } from "./db/client.js";
import { openDatabase } from "./db/open.js";
import { createKeyVerifier, type KeyVerifier } from "./keys/verifier.js";
import { createLifecycle, type Lifecycle } from "./lifecycle.js";
import { createLogger, type Logger } from "./log/log.js";
import { createTaskRunner, type TaskRunner } from "./mcp/tasks/runner.js";
import { createMetrics, type Metrics } from "./metrics/metrics.js";
import { createPresence, type Presence } from "./presence/presence.js";
import { createPromptLibrary, type PromptLibrary } from "./prompts/library.js";
import { createResourceUpdates, type ResourceUpdates } from "./resources/updates.js";
import { builtinTools } from "./tools/builtin.js";
import type { AnyTool } from "./tools/define.js";
import type { FixtureAdmin } from "./tools/fixtures/index.js";
import { createToolRegistry, type ToolRegistry } from "./tools/registry.js";
import { createToolSettingsCache, type ToolSettingsCache } from "./tools/settings/cache.js";

/** Everything a service needs, built once per process and passed down explicitly. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
  bus: Bus;
  tools: ToolRegistry;
  /** Verifies API keys, caching lookups; revocations reach every process over the bus. */
  keys: KeyVerifier;
  /** Enabled, description override and rate limit of each tool, kept current across processes. */
  toolSettings: ToolSettingsCache;
  audit: AuditQueue;
  /** Changes to resources (a note saved), told to every process, for the clients subscribed to them. */
  resourceUpdates: ResourceUpdates;
  /** The admin's prompt library as clients see it, kept current across processes. */
  prompts: PromptLibrary;
  /** Tool calls running as tasks here; any task's state, from any process (see mcp/tasks/). */
  tasks: TaskRunner;
  metrics: Metrics;
  lifecycle: Lifecycle;
  /** This process on the bus: which services it runs and its open MCP sessions (see presence/). */
  presence: Presence;
  /**
   * Settles once the database is open and the tool settings are loaded. The embedded database
   * opens behind the context (see `openDatabase`): until then tools are listed with their default
   * settings, and a call waits for this (see `callTool`).
   */
  ready: Promise<void>;
  /** Whether `ready` has settled: a check that never waits, for the call path. */
  readonly isReady: boolean;
  /** Flushes the audit queue and closes the database and the bus. */
  close(): Promise<void>;
}

export interface ContextOptions {
  log?: Logger;
  tools?: readonly AnyTool[];
  /**
   * A bus to use instead of the one REDIS_URL configures; it stays open when the context closes.
   * Tests give several contexts one in-process bus, to play several processes in one.
   */
  bus?: Bus;
}

/** Connects to the database (migrating it) and the bus, and wires the shared services. */
export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const log = options.log ?? createLogger({ level: config.LOG_LEVEL });
  const db = await openDatabase(config);
  const bus =
    options.bus ??
    (await createBus(config, log).catch(async (error: unknown) => {
      await db.close();
      throw error;
    }));
  const closeBus = () => (options.bus ? Promise.resolve() : bus.close());
  const toolSettings = await createToolSettingsCache({
    db: db.db,
    bus,
    log,
    ...(db.state !== "open" && { openedBy: db.ready }),
  }).catch(async (error: unknown) => {
    await Promise.allSettled([db.close(), closeBus()]);
    throw error;
  });
  const keys = await createKeyVerifier({ db: db.db, bus, log }).catch(async (error: unknown) => {
    await Promise.allSettled([toolSettings.close(), db.close(), closeBus()]);
    throw error;
  });
  const resourceUpdates = await createResourceUpdates(bus, log).catch(async (error: unknown) => {
    await Promise.allSettled([keys.close(), toolSettings.close(), db.close(), closeBus()]);
    throw error;
  });
  const prompts = await createPromptLibrary({ db, bus, log }).catch(async (error: unknown) => {
    await Promise.allSettled([
      resourceUpdates.close(),
      keys.close(),
      toolSettings.close(),
      db.close(),
      closeBus(),
    ]);
    throw error;
  });
  const metrics = createMetrics();
  const audit = createAuditQueue({
    db: db.db,
    log,
    metrics,
    batchSize: config.AUDIT_BATCH_SIZE,
    flushIntervalMs: config.AUDIT_FLUSH_INTERVAL_MS,
    maxQueued: config.AUDIT_QUEUE_MAX,
    maxBytes: config.AUDIT_QUEUE_MAX_BYTES,
  });
  // Beats only once a service registers, so a context that serves nothing (a CLI) stays invisible.
  const presence = createPresence({ bus, log, audit });
  const builtins =
    options.tools ??
    (config.CONFORMANCE_FIXTURES
      ? await withFixtures({ log, db, bus, toolSettings, prompts })
      : builtinTools);
  const tools = createToolRegistry(builtins);
  // The catalog (tool versions, HTTP tools) loads once the database is open, off the start-up path.
  const catalog = Promise.all([db.ready, toolSettings.ready]).then(async () => {
    const { startToolCatalog } = await import("./tools/catalog/live.js");
    return startToolCatalog({ db, bus, log, config, tools }, builtins).catch((error: unknown) => {
      log.error({ err: error }, "the tool catalog could not load; serving the built-in tools as built");
      return undefined;
    });
  });
  let isReady = false;
  const ready = catalog.then(() => {
    isReady = true;
  });
  ready.then(
    () => log.info({ database: db.kind }, "database open"),
    (error: unknown) => log.error({ err: error }, "the database could not open; tool calls will fail"),
  );
  log.info({ database: db.kind, bus: bus.kind, databaseState: db.state }, "context ready");
  const tasks = createTaskRunner({ config, log, db, bus, presence, metrics, audit, resourceUpdates });
  return {
    config,
    log,
    db,
    bus,
    tools,
    keys,
    toolSettings,
    audit,
    resourceUpdates,
    prompts,
    tasks,
    metrics,
    lifecycle: createLifecycle(),
    presence,
    ready,
    get isReady() {
      return isReady;
    },
    async close() {
      await tasks.close();
      await presence.close();
      await (await catalog.catch(() => undefined))?.close();
      // A database that never opened will not take the rows however long we wait.
      await audit.flush(db.state === "failed" ? 0 : config.SHUTDOWN_GRACE_MS);
      audit.close();
      await toolSettings.close().catch(() => undefined);
      await keys.close();
      await resourceUpdates.close().catch(() => undefined);
      await prompts.close().catch(() => undefined);
      await Promise.allSettled([db.close(), closeBus()]);
    },
  };
}

// Loaded only when asked for: no other process pays for the fixtures' schemas at start-up.
async function withFixtures({ log, ...admin }: FixtureAdmin & { log: Logger }): Promise<readonly AnyTool[]> {
  const { createConformanceFixtures } = await import("./tools/fixtures/index.js");
  const conformanceFixtures = createConformanceFixtures(admin);
  log.warn(
    { tools: conformanceFixtures.map((tool) => tool.name) },
    "CONFORMANCE_FIXTURES=true: serving the conformance suite's fixture tools beside ours; not for production",
  );
  return [...builtinTools, ...conformanceFixtures];
}
