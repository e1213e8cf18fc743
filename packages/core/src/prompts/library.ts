import { and, eq } from "drizzle-orm";
import type { Bus } from "../bus/bus.js";
import type { Database } from "../db/client.js";
import { prompts, promptVersions } from "../db/schema.js";
import type { Logger } from "../log/log.js";
import { PromptDefinition } from "./definition.js";
import { describePrompt, renderPrompt } from "./render.js";
import type { PromptSource } from "./source.js";

export const PROMPTS_CHANGED_CHANNEL = "prompts.changed";

/** The admin's prompt library as clients see it: the enabled prompts, each at its current version. */
export interface PromptLibrary extends PromptSource {
  /** Reads the library again (after a change here; the bus tells the other processes). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Kept in memory and read again when any process changes it (the bus says so): listing and getting
 * prompts never waits on the database once it has been read. The first read waits for the
 * database to open.
 */
export async function createPromptLibrary({
  db,
  bus,
  log,
}: {
  db: Database;
  bus: Bus;
  log: Logger;
}): Promise<PromptLibrary> {
  let served: Map<string, PromptDefinition> | undefined;
  let loading: Promise<Map<string, PromptDefinition>> | undefined;
  const listeners = new Set<() => void>();

  async function read(): Promise<Map<string, PromptDefinition>> {
    await db.ready;
    const rows = await db.db
      .select({ name: prompts.name, definition: promptVersions.definition })
      .from(prompts)
      .innerJoin(
        promptVersions,
        and(eq(promptVersions.name, prompts.name), eq(promptVersions.version, prompts.currentVersion)),
      )
      .where(eq(prompts.enabled, true))
      .orderBy(prompts.name);
    const library = new Map<string, PromptDefinition>();
    for (const row of rows) {
      const parsed = PromptDefinition.safeParse(row.definition);
      if (parsed.success) library.set(row.name, parsed.data);
      else log.error({ prompt: row.name }, "a stored prompt no longer reads as a prompt; not served");
    }
    return library;
  }

  const current = async () => {
    if (served) return served;
    loading ??= read().then((library) => {
      served = library;
      return library;
    });
    return loading.finally(() => {
      loading = undefined;
    });
  };

  async function reload() {
    served = await read();
    for (const listener of [...listeners]) listener();
  }

  const unsubscribe = await bus.subscribe(PROMPTS_CHANGED_CHANNEL, () => {
    reload().catch((error: unknown) => log.warn({ err: error }, "could not read the prompt library again"));
  });

  return {
    async list() {
      return [...(await current())].map(([name, definition]) => describePrompt(name, definition));
    },
    async get(name, args) {
      const definition = (await current()).get(name);
      return definition && renderPrompt(name, definition, args);
    },
    async suggestions(name, argument) {
      const definition = (await current()).get(name);
      return definition?.arguments.find((each) => each.name === argument)?.suggestions ?? [];
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reload,
    close: unsubscribe,
  };
}
