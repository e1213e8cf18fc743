import { loadConfig } from "@mcp-tools/core";
import { serveOurs } from "./serve-ours.js";

// Entry of one replica of our HTTP server in a cluster (servers/cluster.ts): set up as servers/ours.ts,
// but on a shared PostgreSQL and Redis, which the harness names in the environment. The replica
// started with BENCH_REPLICA_SEED=1 creates the API key and reports it; the others reuse it.
const env = process.env;
await serveOurs(
  () =>
    loadConfig({
      DATABASE_URL: env.DATABASE_URL,
      REDIS_URL: env.REDIS_URL,
      REDIS_PREFIX: env.REDIS_PREFIX,
      // Behind nginx the Host is nginx's address; a name without a port allows it on any port.
      ALLOWED_HOSTS: "127.0.0.1",
      LOG_LEVEL: "silent",
      MCP_AUTH: "required",
    }),
  { createKey: env.BENCH_REPLICA_SEED === "1" },
);
