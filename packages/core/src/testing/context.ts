import { type Config, loadConfig } from "../config/config.js";
import { type AppContext, type ContextOptions, createContext } from "../context.js";

/** Config for tests: embedded in-memory database, in-process bus, silent log. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: "memory://", LOG_LEVEL: "silent", NODE_ENV: "test", ...overrides });
}

/**
 * A full context on an in-memory PGlite and the in-process bus unless overrides say otherwise,
 * with its database open and tool settings read (a service's context opens them behind it).
 */
export async function createTestContext(
  overrides: Record<string, string> = {},
  options: ContextOptions = {},
): Promise<AppContext> {
  const ctx = await createContext(testConfig(overrides), options);
  await ctx.ready;
  return ctx;
}
