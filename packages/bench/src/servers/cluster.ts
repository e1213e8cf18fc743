import { randomBytes } from "node:crypto";
import { createTestDatabase, uniquePrefix } from "@mcp-tools/core/testing";
import { totalCpuMs } from "../load/process-cpu.js";
import { CREATE_KEY } from "./control.js";
import { type ServerProcess, spawnServer } from "./spawn.js";

export interface ClusterOptions {
  /** A PostgreSQL server; the replicas share a fresh database on it, dropped on `stop()`. */
  databaseUrl: string;
  redisUrl: string;
  replicas: number;
}

export interface ReplicaCluster {
  readonly replicas: readonly ServerProcess[];
  /** The one API key all replicas accept (the first replica created it). */
  readonly token: string;
  /** CPU time of all replicas together so far, in ms. */
  cpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

const replicaEntry = new URL("./ours-replica.ts", import.meta.url).pathname;

/**
 * Replicas of our HTTP server, each its own process and port, sharing one fresh database and one
 * Redis prefix, as deploy/ runs them behind nginx. The first one migrates the database and creates
 * the key; the others start once it is there.
 */
export async function startCluster({
  databaseUrl,
  redisUrl,
  replicas,
}: ClusterOptions): Promise<ReplicaCluster> {
  const database = await createTestDatabase(databaseUrl);
  // The replicas' configuration, read by loadConfig as a service reads its own.
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: uniquePrefix(),
    // Behind nginx the Host is nginx's address; a name without a port allows it on any port.
    ALLOWED_HOSTS: "127.0.0.1",
    LOG_LEVEL: "silent",
    MCP_AUTH: "required",
    // As in production: every relayed frame is signed and checked.
    RELAY_SECRET: randomBytes(32).toString("base64url"),
  };
  const started: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((replica) => replica.stop()));
    await database.drop();
  };
  try {
    const first = await spawnServer("replica 1", replicaEntry, { env, args: [CREATE_KEY] });
    started.push(first);
    const token = first.token;
    if (token === undefined) throw new Error("replica 1 reported no API key");
    const others = await Promise.allSettled(
      Array.from({ length: replicas - 1 }, (_, index) =>
        spawnServer(`replica ${index + 2}`, replicaEntry, { env }),
      ),
    );
    for (const other of others) if (other.status === "fulfilled") started.push(other.value);
    const failed = others.find((other) => other.status === "rejected");
    if (failed) throw failed.reason;
    return {
      replicas: started,
      token,
      cpuMs: () => totalCpuMs(started.map((replica) => replica.pid)),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
