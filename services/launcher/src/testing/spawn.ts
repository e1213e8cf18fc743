import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const entry = fileURLToPath(new URL("./slow-launcher.ts", import.meta.url));
// Run from the repository root, as `pnpm start` does, so its tsconfig is the one in force.
const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface LaunchedProcess {
  child: ChildProcessWithoutNullStreams;
  /** Parsed JSON log lines from stderr so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code and how long after this call the process ended. */
  exit(): Promise<{ code: number | null; afterMs: number }>;
}

/** Spawns the launcher (with the test-only `slow` tool) and collects its JSON logs. */
export function spawnLauncher(args: string[], env: Record<string, string>): LaunchedProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: "pipe",
    cwd: repositoryRoot,
  });
  const logs: Array<Record<string, unknown>> = [];
  let buffer = "";
  child.stderr.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return {
    child,
    logs,
    async exit() {
      const since = Date.now();
      const code = await exited;
      return { code, afterMs: Date.now() - since };
    },
  };
}

/** Waits for the launcher's "ready" log line and returns its endpoints. */
export async function waitUntilReady(launched: LaunchedProcess): Promise<Record<string, string>> {
  await expect
    .poll(() => launched.logs.find((line) => String(line.msg).startsWith("ready")), { timeout: 30_000 })
    .toBeTruthy();
  return launched.logs.find((line) => String(line.msg).startsWith("ready")) as Record<string, string>;
}
