import { loadConfig } from "@mcp-tools/core";
import { OURS_ENV, serveOurs } from "./serve-ours.js";

// Entry of our HTTP server process, as the issue asks it to be measured (OURS_ENV), with a per-key
// and a per-tool (echo) rate limit on, set never to trip.
await serveOurs(() => loadConfig({ ...OURS_ENV }), { createKey: true });
