import { randomBytes } from "node:crypto";
import { uniquePrefix } from "@mcp-tools/core/testing";
import { answers, type Spawned, spawnProcess, waitFor } from "./processes.js";

/** Settings every process of one test shares: the same database, Redis, key prefix and relay secret. */
export interface SharedEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  REDIS_PREFIX: string;
  /** Signs what the replicas relay to each other over Redis, as every recipe sets it. */
  RELAY_SECRET: string;
  [key: string]: string;
}

/** The shared settings of one test's processes, under a Redis prefix and relay secret of their own. */
export function sharedEnv(databaseUrl: string, redisUrl: string): SharedEnv {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: uniquePrefix(),
    RELAY_SECRET: randomBytes(32).toString("hex"),
  };
}

/** The environment of a service behind our nginx on this machine. */
export function serviceEnv(shared: SharedEnv, own: Record<string, string> = {}): Record<string, string> {
  return {
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    // nginx passes the Host the client used (nginx's port): accept loopback names on any port.
    ALLOWED_HOSTS: "127.0.0.1,localhost",
    ...shared,
    ...own,
  };
}

export interface RunningService extends Spawned {
  readonly port: number;
  readonly url: string;
}

/** `node services/mcp-sse/dist/main.js` on `port`, ready to serve. */
export function startMcpBundle(shared: SharedEnv, port: number, own: Record<string, string> = {}) {
  const env = serviceEnv(shared, { MCP_PORT: String(port), ...own });
  return started(spawnProcess(`mcp-sse:${port}`, "node", ["services/mcp-sse/dist/main.js"], env), port);
}

/** `node services/admin/dist/main.js` on `port`, ready to serve. */
export function startAdminBundle(shared: SharedEnv, port: number, own: Record<string, string> = {}) {
  const env = serviceEnv(shared, { ADMIN_PORT: String(port), ...own });
  return started(spawnProcess(`admin:${port}`, "node", ["services/admin/dist/main.js"], env), port);
}

/**
 * The production launcher plus the test-only `slow` tool (services/launcher/src/testing), run
 * from source with tsx, serving MCP over HTTP on `port`.
 */
export function startSlowLauncher(shared: SharedEnv, port: number, own: Record<string, string> = {}) {
  const env = serviceEnv(shared, { MCP_PORT: String(port), ...own });
  const entry = "services/launcher/src/testing/slow-launcher.ts";
  const spawned = spawnProcess(
    `slow-launcher:${port}`,
    "node",
    ["--import", "tsx", entry, "--transport", "sse"],
    env,
  );
  return started(spawned, port);
}

async function started(spawned: Spawned, port: number): Promise<RunningService> {
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (!spawned.running) {
        throw new Error(`${spawned.name} exited while starting:\n${spawned.lines().slice(-20).join("\n")}`);
      }
      return answers(`${url}/ready`);
    },
    `${spawned.name} ready`,
    45_000,
  );
  return Object.assign(spawned, { port, url });
}

/** The value of a Prometheus sample, summed over the label sets that contain `labels`. */
export async function metric(url: string, name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}
