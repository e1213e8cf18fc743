import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { bundlePath } from "./bundles.js";

export interface RunningLauncher {
  readonly pid: number;
  /** Its Streamable HTTP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly mcp: URL;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
/** SHUTDOWN_GRACE_MS (10 s by default) and a margin: past it, the launcher is stuck. */
const STOP_TIMEOUT_MS = 15_000;
const LOG_TAIL_LINES = 20;

/**
 * The bundled launcher as `pnpm start` runs it (`--transport sse --admin`), on ports the system
 * picks, configured by `env` alone; resolves once it logs that it is ready, with its /mcp address.
 */
export async function startLauncher(env: Record<string, string>): Promise<RunningLauncher> {
  const child = spawn(process.execPath, [bundlePath("launcher"), "--transport", "sse", "--admin"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...env, MCP_PORT: "0", ADMIN_PORT: "0" },
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => child.pid === undefined && resolve());
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };
  // Its log (pino, JSON lines, info by default) is read for as long as it runs: an unread pipe would block it.
  const tail: string[] = [];
  const mcp = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`did not log "ready" within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`the launcher ${why}; its log ended:\n${tail.join("\n")}`));
    };
    child.once("error", (error) => fail(`could not be spawned (${error.message})`));
    child.once("exit", (code, signal) => fail(`exited during start-up (${signal ?? code})`));
    createInterface({ input: child.stderr }).on("line", (line) => {
      tail.push(line.slice(0, 500));
      if (tail.length > LOG_TAIL_LINES) tail.shift();
      const ready = readyAddress(line);
      if (!ready) return;
      clearTimeout(timer);
      resolve(ready);
    });
  }).catch(async (error: unknown) => {
    child.kill("SIGKILL");
    await exited;
    throw error;
  });
  return { pid: child.pid ?? 0, mcp, stop };
}

/** The /mcp address in the launcher's "ready" log line (services/launcher/src/launch.ts), if `line` is it. */
function readyAddress(line: string): URL | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; mcp?: unknown };
    if (typeof entry.msg !== "string" || !entry.msg.startsWith("ready") || typeof entry.mcp !== "string") {
      return undefined;
    }
    return new URL(entry.mcp);
  } catch {
    return undefined;
  }
}
