import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

/** A server a test may stop and start again, to see how we behave through an outage. */
export interface ThrowawayServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

/**
 * Whether this machine can start a throw-away server of the kind (its binaries are installed).
 * Without them the outage tests are skipped, saying why; in CI a missing binary fails the run.
 */
export function canStartThrowaway(kind: "postgres" | "redis"): boolean {
  const found = kind === "redis" ? succeeds("redis-server", ["--version"]) : postgresBinFound();
  if (found) return true;
  const message = `${kind === "redis" ? "redis-server" : "PostgreSQL's initdb/pg_ctl"} not installed: outage tests that start their own ${kind} are skipped`;
  if (process.env.CI) throw new Error(`${message}, but CI must run them`);
  console.warn(message);
  return false;
}

function postgresBinFound(): boolean {
  try {
    return existsSync(join(postgresBin(), "initdb"));
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const succeeds = (command: string, args: string[]) => {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** A redis-server of our own on a free port (never the machine's shared one). */
export async function startThrowawayRedis(): Promise<ThrowawayServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: "ignore",
      },
    );
    await waitFor(() => succeeds("redis-cli", ["-p", String(port), "ping"]), "redis-server");
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop, destroy: stop };
}

function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!version) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql");
  return join(root, version, "bin");
}

/**
 * A PostgreSQL cluster of our own in a temp folder on a free port, run as the `postgres` user
 * because the server refuses to run as root. Never the machine's shared server.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayServer> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "mcp-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const asPostgres = (args: string[]) => {
    const root = process.getuid?.() === 0;
    execFileSync(
      root ? "runuser" : (args[0] ?? ""),
      root ? ["-u", "postgres", "--", ...args] : args.slice(1),
      {
        stdio: "ignore",
      },
    );
  };
  asPostgres([join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const start = async () => {
    asPostgres([
      join(bin, "pg_ctl"),
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "-w",
      "start",
    ]);
  };
  const stop = async () => {
    asPostgres([join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
