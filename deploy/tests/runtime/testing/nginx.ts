import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acceptsConnections, freePort } from "@mcp-tools/core/testing";
import { type Spawned, spawnProcess, waitFor } from "./processes.js";
import { findBinary, repositoryRoot } from "./requirements.js";

export const shippedConfig = join(repositoryRoot, "deploy/nginx.conf");

export interface NginxOptions {
  /** Ports of the MCP processes on 127.0.0.1: the `mcp` upstream. */
  mcpPorts: number[];
  /** Ports of the admin processes on 127.0.0.1: the `admin` upstream. */
  adminPorts: number[];
}

export interface RunningNginx {
  process: Spawned;
  /** Where nginx serves MCP, e.g. http://127.0.0.1:PORT (no trailing slash). */
  mcpUrl: string;
  adminUrl: string;
  /** Access-log lines so far, parsed. */
  accessLog(): AccessLine[];
  stop(): Promise<void>;
}

export interface AccessLine {
  method: string;
  path: string;
  status: number;
  upstream: string;
}

/**
 * A prefix folder holding deploy/nginx.conf, unchanged but for its two listen ports, beside our
 * own nginx/mcp-servers.conf and nginx/admin-servers.conf: exactly how the shipped file is meant
 * to be given other upstreams. Returns the folder and the config's path.
 */
export function preparePrefix(
  { mcpPorts, adminPorts }: NginxOptions,
  listen: { mcp: number; admin: number },
) {
  const prefix = mkdtempSync(join(tmpdir(), "mcp-nginx-"));
  // nginx's workers run as an unprivileged user when we are root: they must reach their temp folders.
  chmodSync(prefix, 0o755);
  const shipped = readFileSync(shippedConfig, "utf8");
  const config = replaceOnce(
    replaceOnce(shipped, "listen 9090;", `listen 127.0.0.1:${listen.mcp};`),
    "listen 9091;",
    `listen 127.0.0.1:${listen.admin};`,
  );
  writeFileSync(join(prefix, "nginx.conf"), config);
  mkdirSync(join(prefix, "nginx"));
  const servers = (ports: number[]) => ports.map((port) => `server 127.0.0.1:${port};\n`).join("");
  writeFileSync(join(prefix, "nginx/mcp-servers.conf"), servers(mcpPorts));
  writeFileSync(join(prefix, "nginx/admin-servers.conf"), servers(adminPorts));
  return { prefix, config: join(prefix, "nginx.conf") };
}

function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`deploy/nginx.conf should contain "${from}" once`);
  return parts.join(to);
}

/** Starts nginx from deploy/nginx.conf in front of the given ports, in the foreground. */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const listen = { mcp: await freePort(), admin: await freePort() };
  const { prefix, config } = preparePrefix(options, listen);
  const nginx = findBinary("nginx") ?? "nginx";
  const server = spawnProcess(
    "nginx",
    nginx,
    ["-c", config, "-p", `${prefix}/`, "-e", "stderr", "-g", "daemon off;"],
    {},
  );
  const stop = async () => {
    // SIGQUIT: graceful; the group kill afterwards takes any worker still serving a stream.
    server.signal("SIGQUIT");
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    await server.kill();
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => {
      if (!server.running) throw new Error(`nginx exited:\n${server.lines().join("\n")}`);
      return (await acceptsConnections(listen.mcp)) && (await acceptsConnections(listen.admin));
    }, "nginx listening");
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    process: server,
    mcpUrl: `http://127.0.0.1:${listen.mcp}`,
    adminUrl: `http://127.0.0.1:${listen.admin}`,
    accessLog: () =>
      server
        .lines()
        .map(parseAccessLine)
        .filter((line): line is AccessLine => line !== undefined),
    stop,
  };
}

// The `mcp` log_format of deploy/nginx.conf.
const accessLine = /"(\w+) (\S+) HTTP\/[\d.]+" (\d{3}) .* upstream=(\S+)/;

function parseAccessLine(line: string): AccessLine | undefined {
  const match = accessLine.exec(line);
  if (!match) return undefined;
  const [, method = "", path = "", status = "0", upstream = ""] = match;
  return { method, path, status: Number(status), upstream };
}
