import { allToolsScope, createApiKey, createContext, loadConfig, updateToolSettings } from "@mcp-tools/core";
import { start } from "@mcp-tools/mcp-sse";
import { reportFailure, serveControl } from "./control.js";

/**
 * High enough never to trip during a run, so every call pays for the check (one bus increment per
 * limit) without ever being refused: a refusal would count as a failed call.
 */
const UNREACHED_LIMIT_PER_MINUTE = 100_000_000;
const ACTOR = "mcp-bench";

// Entry of our HTTP server process, as the issue asks it to be measured: API-key auth required,
// a per-key and a per-tool (echo) rate limit, validation, audit to the embedded database and
// metrics all on. Only the data stays in memory and the log stays quiet.
try {
  const ctx = await createContext(
    loadConfig({ DATA_DIR: "memory://", LOG_LEVEL: "silent", MCP_AUTH: "required" }),
  );
  const { secret } = await createApiKey(ctx.db.db, {
    name: "bench",
    scope: allToolsScope,
    rateLimitPerMinute: UNREACHED_LIMIT_PER_MINUTE,
    createdBy: ACTOR,
  });
  await updateToolSettings(ctx, "echo", { rateLimitPerMinute: UNREACHED_LIMIT_PER_MINUTE }, ACTOR);
  const running = await start(ctx, { host: "127.0.0.1", port: 0 });
  serveControl({ port: running.port, token: secret }, async () => {
    await running.stop();
    await ctx.close();
  });
} catch (error) {
  reportFailure(error);
}
