import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TopologyId } from "../results-cluster.js";
import type { ReplicaCluster } from "../servers/cluster.js";
import { type NginxProcess, startNginx } from "../servers/nginx.js";
import type { Balancing } from "../servers/nginx-config.js";
import type { ServerProcess } from "../servers/spawn.js";

/** Where the clients of one topology connect, and what they send besides MCP. */
export interface Topology {
  id: TopologyId;
  title: string;
  target: Pick<ServerProcess, "port" | "pid" | "token">;
  /** nginx in front, absent when the clients talk to one replica directly. */
  front?: NginxProcess;
  clientHeaders?: (index: number) => Record<string, string>;
}

/** The nginx processes in front of the cluster, one per balancing, each in its own temp prefix. */
export interface Fronts {
  start(balancing: Balancing, upstreamPorts: readonly number[]): Promise<NginxProcess>;
  /** Stops every nginx started and removes their prefixes. */
  stop(): Promise<void>;
}

export function createFronts(binary: string): Fronts {
  const started: NginxProcess[] = [];
  let root: Promise<string> | undefined;
  return {
    async start(balancing, upstreamPorts) {
      root ??= mkdtemp(join(tmpdir(), "mcp-bench-nginx-"));
      const prefix = join(await root, balancing);
      const front = await startNginx({ binary, balancing, upstreamPorts, prefix });
      started.push(front);
      return front;
    },
    async stop() {
      await Promise.all(started.map((front) => front.stop()));
      if (root) await rm(await root, { recursive: true, force: true });
    },
  };
}

/** The four ways the bench reaches the cluster; all nginx processes run from here until `fronts.stop()`. */
export async function startTopologies(cluster: ReplicaCluster, fronts: Fronts): Promise<Topology[]> {
  const [first] = cluster.replicas;
  if (!first) throw new Error("a cluster without replicas");
  const ports = cluster.replicas.map((replica) => replica.port);
  const behind = async (balancing: Balancing) => {
    const front = await fronts.start(balancing, ports);
    return { front, target: { port: front.port, pid: front.pid, token: cluster.token } };
  };
  return [
    {
      id: "single",
      title: "single process",
      target: { port: first.port, pid: first.pid, token: cluster.token },
    },
    { id: "round-robin", title: "nginx round-robin", ...(await behind("round-robin")) },
    { id: "session-hash", title: "nginx hash session id", ...(await behind("session-hash")) },
    {
      id: "client-affinity",
      title: "nginx hash client id",
      ...(await behind("client-hash")),
      clientHeaders: (index) => ({ "x-bench-client": `client-${index}` }),
    },
  ];
}
