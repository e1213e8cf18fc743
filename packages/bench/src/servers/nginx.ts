import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { acceptsConnections, freePort } from "@mcp-tools/core/testing";
import { totalCpuMs } from "../load/process-cpu.js";
import { sleep } from "../phases/progress.js";
import { type Balancing, deriveNginxConfig, SERVERS_INCLUDE, serversInclude } from "./nginx-config.js";

/** The nginx config the project ships: the bench measures that file, not a copy of it. */
export const SHIPPED_NGINX_CONF = new URL("../../../../deploy/nginx.conf", import.meta.url);

export interface NginxOptions {
  binary: string;
  balancing: Balancing;
  /** The MCP replicas it spreads requests over. */
  upstreamPorts: readonly number[];
  /** An empty directory of its own: config, pid and temp files all go there. */
  prefix: string;
}

export interface NginxProcess {
  readonly port: number;
  readonly pid: number;
  /** CPU time of the master and its workers so far, in ms. */
  cpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/** Runs nginx in the foreground with the shipped config derived for `balancing`, until it listens. */
export async function startNginx({
  binary,
  balancing,
  upstreamPorts,
  prefix,
}: NginxOptions): Promise<NginxProcess> {
  const port = await freePort();
  const conf = join(prefix, "nginx.conf");
  await mkdir(join(prefix, "nginx"), { recursive: true });
  await writeFile(join(prefix, SERVERS_INCLUDE), serversInclude(upstreamPorts));
  await writeFile(
    conf,
    deriveNginxConfig(await readFile(SHIPPED_NGINX_CONF, "utf8"), { listenPort: port, balancing }),
  );
  const child = spawn(binary, ["-c", conf, "-p", `${prefix}/`, "-e", "stderr", "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    // Keep what it says (start-up failures, upstream errors) for the report, not the terminal.
    stderr = (stderr + chunk).slice(-8_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid ?? 0;
  try {
    await waitUntilListening(port, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`nginx (${balancing}) did not start: ${stderr.trim()}`, { cause: error });
  }
  return {
    port,
    pid,
    cpuMs: async () => totalCpuMs([pid, ...(await childrenOf(pid))]),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // TERM, not QUIT: a graceful stop would wait for the SSE streams still open.
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function waitUntilListening(port: number, gone: () => boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone()) throw new Error("nginx exited");
    if (await acceptsConnections(port)) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${port} after ${START_TIMEOUT_MS} ms`);
}

/** The workers (and cache processes) of an nginx master, from /proc; empty where there is none. */
async function childrenOf(pid: number): Promise<number[]> {
  const entries = await readdir("/proc").catch(() => []);
  const children = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
        // Fields after the parenthesised command name: state, then the parent's pid.
        const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return parent === pid ? Number(name) : undefined;
      }),
  );
  return children.filter((child) => child !== undefined);
}
