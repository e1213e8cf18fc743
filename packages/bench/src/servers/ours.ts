import { createContext, loadConfig } from "@mcp-tools/core";
import { start } from "@mcp-tools/mcp-sse";
import { reportFailure, serveControl } from "./control.js";

// Entry of our HTTP server process, in its default configuration: validation, audit to the
// embedded database and metrics all on. Only the data stays in memory and the log stays quiet.
try {
  const ctx = await createContext(loadConfig({ DATA_DIR: "memory://", LOG_LEVEL: "silent" }));
  const running = await start(ctx, { host: "127.0.0.1", port: 0 });
  serveControl(running.port, async () => {
    await running.stop();
    await ctx.close();
  });
} catch (error) {
  reportFailure(error);
}
