import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repositoryRoot } from "./requirements.js";

/** A process a test started, with everything it printed. */
export interface Spawned {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every line of stdout and stderr so far, in the order written. */
  lines(): string[];
  /** The JSON lines (our services' pino logs), parsed. */
  logs(): Array<Record<string, unknown>>;
  /** Settles when the process has exited, with its code (null when killed by a signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /** Sends a signal to the process (not its group), e.g. SIGTERM for a graceful stop. */
  signal(signal: NodeJS.Signals): void;
  /** Kills the process and everything it started in its group, waits for it, deletes its output. */
  kill(): Promise<void>;
}

const started = new Set<Spawned>();

// Should the test runner itself end without running afterAll, leave nothing behind.
process.once("exit", () => {
  for (const spawned of started) killGroup(spawned.child, "SIGKILL");
});

/**
 * Spawns a command in its own process group (so nginx's workers and the like go with it), from
 * the repository root, with only the environment given (plus PATH and HOME). Its stdout and stderr
 * go to one file, not a pipe: nginx and supervisord open /dev/stdout, which a socket (what Node
 * gives a child as a pipe) cannot be opened as.
 */
export function spawnProcess(name: string, command: string, args: string[], env: Record<string, string>) {
  const folder = mkdtempSync(join(tmpdir(), "mcp-output-"));
  const outputFile = join(folder, "output.log");
  const output = openSync(outputFile, "a");
  const child = spawn(command, args, {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", output, output],
    detached: true,
  });
  closeSync(output);
  const lines = () => {
    try {
      return readFileSync(outputFile, "utf8").split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const spawned: Spawned = {
    name,
    child,
    lines,
    logs: () => lines().flatMap(parseJsonLine),
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    signal(signal) {
      if (spawned.running) child.kill(signal);
    },
    async kill() {
      killGroup(child, "SIGKILL");
      await exited;
      started.delete(spawned);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  started.add(spawned);
  void exited.then(() => {
    // Its group may outlive it (workers); they go too.
    killGroup(child, "SIGKILL");
  });
  return spawned;
}

function parseJsonLine(line: string): Array<Record<string, unknown>> {
  if (!line.startsWith("{")) return [];
  try {
    return [JSON.parse(line)];
  } catch {
    return [];
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

/** Kills every process the tests started and not yet killed; for afterAll. */
export async function killAll(): Promise<void> {
  await Promise.all([...started].map((spawned) => spawned.kill()));
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 50 ms until it is truthy; throws `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether GET url answers 200. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
