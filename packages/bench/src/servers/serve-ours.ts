import { type Config, createContext } from "@mcp-tools/core";
import { start } from "@mcp-tools/mcp-sse";
import { setUpBenchKey } from "./bench-key.js";
import { reportFailure, serveControl } from "./control.js";

/**
 * Runs our HTTP server in this (child) process for the harness: API-key auth required, rate limits
 * on, on `config`. With `createKey` it creates the key and reports it; replicas sharing a database
 * with one that did reuse it.
 */
export async function serveOurs(config: () => Config, { createKey }: { createKey: boolean }): Promise<void> {
  try {
    const ctx = await createContext(config());
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
