import { join } from "node:path";
import { type TargetName, targetLabels, targets } from "../targets.js";
import { type ServerProcess, spawnServer } from "./spawn.js";

export type ServerPair = Record<TargetName, ServerProcess>;

/** Starts our HTTP server and the baseline side by side; `cpuProfDir` profiles both. */
export async function startServerPair(cpuProfDir?: string): Promise<ServerPair> {
  const bare = await spawnServer(targetLabels.bare, targets.bare.httpEntry, {
    execArgv: profile(cpuProfDir, "bare"),
  });
  try {
    const ours = await spawnServer(targetLabels.ours, targets.ours.httpEntry, {
      execArgv: profile(cpuProfDir, "ours"),
    });
    return { ours, bare };
  } catch (error) {
    await bare.stop();
    throw error;
  }
}

export async function stopServerPair(pair: ServerPair): Promise<void> {
  await Promise.all([pair.ours.stop(), pair.bare.stop()]);
}

/** `--cpu-prof` writes when the process exits, which `stop()` lets it do. */
function profile(cpuProfDir: string | undefined, name: TargetName): string[] {
  return cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${join(cpuProfDir, name)}`] : [];
}
