import { type AppContext, type Config, createContext } from "@mcp-tools/core";
import { start } from "@mcp-tools/mcp-sse";
import { setUpBenchKey } from "./bench-key.js";
import { reportFailure, serveControl } from "./control.js";

/**
 * Our HTTP server as the issue asks it to be measured: API-key auth required, audit to the embedded
 * database and metrics on; only the data stays in memory and the log stays quiet. The idle-memory
 * scenario opens up to 5,000 sessions with its one key: far more than a caller may hold by default.
 */
export const OURS_ENV = {
  DATA_DIR: "memory://",
  LOG_LEVEL: "silent",
  MCP_AUTH: "required",
  MAX_SESSIONS_PER_CALLER: "10000",
} as const;

export interface ServeOursOptions {
  createKey: boolean;
  /** Runs once the context is made, before the key is set up and the server listens. */
  prepare?: (ctx: AppContext) => Promise<void>;
}

/**
 * Runs our HTTP server in this (child) process for the harness: API-key auth required, rate limits
 * on, on `config`. With `createKey` it creates the key and reports it; replicas sharing a database
 * with one that did reuse it.
 */
export async function serveOurs(
  config: () => Config,
  { createKey, prepare }: ServeOursOptions,
): Promise<void> {
  try {
    const ctx = await createContext(config());
    await prepare?.(ctx);
    const secret = createKey ? await setUpBenchKey(ctx) : undefined;
    const running = await start(ctx, { host: "127.0.0.1", port: 0 });
    serveControl({ port: running.port, token: secret }, async () => {
      await running.stop();
      await ctx.close();
    });
  } catch (error) {
    reportFailure(error);
  }
}
