import { createContext, loadConfig } from "@mcp-tools/core";
import { start } from "@mcp-tools/mcp-sse";
import { setUpBenchKey } from "./bench-key.js";
import { reportFailure, serveControl } from "./control.js";

// Entry of our HTTP server process, as the issue asks it to be measured: API-key auth required,
// a per-key and a per-tool (echo) rate limit, validation, audit to the embedded database and
// metrics all on. Only the data stays in memory and the log stays quiet.
try {
  const ctx = await createContext(
    loadConfig({ DATA_DIR: "memory://", LOG_LEVEL: "silent", MCP_AUTH: "required" }),
  );
  const secret = await setUpBenchKey(ctx);
  const running = await start(ctx, { host: "127.0.0.1", port: 0 });
  serveControl({ port: running.port, token: secret }, async () => {
    await running.stop();
    await ctx.close();
  });
} catch (error) {
  reportFailure(error);
}
