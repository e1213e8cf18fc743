import { loadConfig } from "@mcp-tools/core";
import { CREATE_KEY } from "./control.js";
import { serveOurs } from "./serve-ours.js";

// Entry of one replica of our HTTP server in a cluster (servers/cluster.ts): set up as servers/ours.ts,
// but configured from its environment, as a service is: the harness names the shared PostgreSQL and
// Redis there. The replica started with --create-key creates the API key and reports it; the others
// reuse it.
await serveOurs(() => loadConfig(), { createKey: process.argv.includes(CREATE_KEY) });
