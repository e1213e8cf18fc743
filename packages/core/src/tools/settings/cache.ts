import type { Bus } from "../../bus/bus.js";
import type { Db } from "../../db/client.js";
import { toolSettings } from "../../db/schema.js";
import type { Logger } from "../../log/log.js";
import { serializedReload } from "../serialized-reload.js";

/** What people changed about one tool; a tool without settings has the defaults. */
export interface ToolSetting {
  enabled: boolean;
  descriptionOverride: string | null;
  rateLimitPerMinute: number | null;
}

export const defaultToolSetting: ToolSetting = {
  enabled: true,
  descriptionOverride: null,
  rateLimitPerMinute: null,
};

/** The settings of a `tool_settings` row, without its key and stamps. */
export const settingOf = ({
  enabled,
  descriptionOverride,
  rateLimitPerMinute,
}: ToolSetting): ToolSetting => ({
  enabled,
  descriptionOverride,
  rateLimitPerMinute,
});

/** Published after every write; each process reloads on it. */
export const TOOLS_CHANGED_CHANNEL = "tools:changed";

/**
 * The tool settings of this process, held in memory so a tool call never queries them, and kept
 * current by the `tools:changed` broadcast.
 */
export interface ToolSettingsCache {
  /** The settings of a tool (defaults when it has no row). Synchronous: on every call's path. */
  get(tool: string): ToolSetting;
  /** Reads the table again and tells the listeners. */
  reload(): Promise<void>;
  /** Settles once the settings have been read a first time; until then `get` gives the defaults. */
  readonly ready: Promise<void>;
  /** Whether `ready` has resolved: a check that never waits, for the call path. */
  readonly loaded: boolean;
  /** Called after each reload; returns the function that removes the listener. */
  onChange(listener: () => void): () => void;
  readonly listeners: number;
  close(): Promise<void>;
}

export interface ToolSettingsCacheOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  /**
   * A reload this often regardless of messages: pub/sub does not replay what was published while
   * this process was cut off from Redis, and the table is a handful of rows.
   */
  refreshIntervalMs?: number;
  /**
   * The database still opening: the cache is made at once and reads the settings once this
   * settles (see `ready`), so that not even the query is built before then.
   */
  openedBy?: Promise<void>;
}

/** Loads the settings (unless `openedBy`) and subscribes to changes; resolves once in place. */
export async function createToolSettingsCache({
  db,
  bus,
  log,
  refreshIntervalMs = 30_000,
  openedBy,
}: ToolSettingsCacheOptions): Promise<ToolSettingsCache> {
  let settings = new Map<string, ToolSetting>();
  const listeners = new Set<() => void>();

  let loadedSignature = "";

  async function load() {
    const rows = await db.select().from(toolSettings);
    // The periodic reload mostly finds nothing new; then there is nothing to tell the sessions.
    const signature = JSON.stringify(rows.map((row) => [row.tool, row.updatedAt.getTime()]).sort());
    if (signature === loadedSignature) return;
    loadedSignature = signature;
    settings = new Map(rows.map((row) => [row.tool, settingOf(row)]));
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        log.warn({ err: error }, "tool settings listener failed");
      }
    }
  }

  const { reload } = serializedReload(load);

  let loaded = false;
  const ready = (openedBy ?? Promise.resolve()).then(reload).then(() => {
    loaded = true;
  });
  if (openedBy) ready.catch(() => undefined);
  else await ready;
  const reloadLogged = () => {
    reload().catch((error: unknown) => log.error({ err: error }, "tool settings reload failed"));
  };
  const unsubscribe = await bus.subscribe(TOOLS_CHANGED_CHANNEL, reloadLogged);
  const timer = setInterval(reloadLogged, refreshIntervalMs);
  timer.unref();

  return {
    get: (tool) => settings.get(tool) ?? defaultToolSetting,
    reload,
    ready,
    get loaded() {
      return loaded;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get listeners() {
      return listeners.size;
    },
    async close() {
      clearInterval(timer);
      listeners.clear();
      await unsubscribe();
    },
  };
}
