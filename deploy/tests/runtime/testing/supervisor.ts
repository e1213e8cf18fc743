import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alive, type Spawned, spawnProcess, waitFor } from "./processes.js";
import { findBinary, repositoryRoot } from "./requirements.js";

export const supervisordConfig = join(repositoryRoot, "deploy/supervisord.conf");

export interface ProgramStatus {
  state: string;
  pid?: number;
}

export interface RunningSupervisor {
  process: Spawned;
  /** Runs supervisorctl against this supervisord; its output, whatever its exit status. */
  ctl(...args: string[]): string;
  /** `supervisorctl status`, by process name (`admin`, `mcp-sse:mcp-sse-PORT`). */
  status(): Record<string, ProgramStatus>;
  /** Stops supervisord and its programs, and kills any program that outlived it. */
  stop(): Promise<void>;
}

/**
 * supervisord from deploy/supervisord.conf in the foreground, with its socket and pid file in a
 * temp folder and the programs' settings from `env` (plus APP_DIR, the repository root).
 */
export function startSupervisord(env: Record<string, string>): RunningSupervisor {
  const runDir = mkdtempSync(join(tmpdir(), "mcp-supervisor-"));
  chmodSync(runDir, 0o700);
  const fullEnv = { APP_DIR: repositoryRoot, SUPERVISOR_RUN_DIR: runDir, ...env };
  const supervisord = spawnProcess(
    "supervisord",
    findBinary("supervisord") ?? "supervisord",
    ["-c", supervisordConfig],
    fullEnv,
  );
  const ctl = (...args: string[]) => {
    const result = spawnSync(
      findBinary("supervisorctl") ?? "supervisorctl",
      ["-c", supervisordConfig, ...args],
      {
        env: { PATH: process.env.PATH ?? "", ...fullEnv },
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    return `${result.stdout}${result.stderr}`;
  };
  const status = () =>
    Object.fromEntries(
      ctl("status")
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [name = "", state = "", ...rest] = line.trim().split(/\s+/);
          const pid = /pid (\d+),/.exec(rest.join(" "))?.[1];
          return [name, pid ? { state, pid: Number(pid) } : { state }];
        }),
    );
  return {
    process: supervisord,
    ctl,
    status,
    async stop() {
      supervisord.signal("SIGTERM");
      await Promise.race([supervisord.exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      // The programs are in process groups of their own: a supervisord that died hard leaves them.
      for (const pid of spawnedPids(supervisord)) if (alive(pid)) process.kill(pid, "SIGKILL");
      await waitFor(
        () => spawnedPids(supervisord).every((pid) => !alive(pid)),
        "supervisord's programs gone",
        5_000,
      );
      await supervisord.kill();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** Every pid supervisord logged as spawned. */
export function spawnedPids(supervisord: Spawned): number[] {
  return supervisord
    .lines()
    .flatMap((line) => /spawned: '[^']+' with pid (\d+)/.exec(line)?.[1] ?? [])
    .map(Number)
    .filter((pid) => pid > 0);
}
