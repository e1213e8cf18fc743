import { loadConfig } from "@mcp-tools/core";
import { serveOurs } from "./serve-ours.js";

// Entry of our HTTP server process, as the issue asks it to be measured: API-key auth required,
// a per-key and a per-tool (echo) rate limit, validation, audit to the embedded database and
// metrics all on. Only the data stays in memory and the log stays quiet. The idle-memory scenario
// opens up to 5,000 sessions with its one key: far more than a caller may hold by default.
await serveOurs(
  () =>
    loadConfig({
      DATA_DIR: "memory://",
      LOG_LEVEL: "silent",
      MCP_AUTH: "required",
      MAX_SESSIONS_PER_CALLER: "10000",
    }),
  { createKey: true },
);
