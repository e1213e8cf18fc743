import { join } from "node:path";
import { type TargetName, targetLabels, targets } from "../targets.js";
import { type ServerProcess, spawnServer } from "./spawn.js";

/** The HTTP servers a phase runs, by name. */
export type ServerSet = Partial<Record<TargetName, ServerProcess>>;

/** Starts the named HTTP servers side by side (one after another); `cpuProfDir` profiles each. */
export async function startServers(names: readonly TargetName[], cpuProfDir?: string): Promise<ServerSet> {
  const servers: ServerSet = {};
  try {
    for (const name of names) {
      servers[name] = await spawnServer(targetLabels[name], targets[name].httpEntry, {
        execArgv: profileArgs(cpuProfDir, name),
      });
    }
    return servers;
  } catch (error) {
    await stopServers(servers);
    throw error;
  }
}

export async function stopServers(servers: ServerSet): Promise<void> {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}

/** One server of the set, which the phase started. */
export function serverOf(servers: ServerSet, name: TargetName): ServerProcess {
  const server = servers[name];
  if (!server) throw new Error(`${targetLabels[name]} was not started`);
  return server;
}

/** `--cpu-prof` writes when the process exits, which `stop()` lets it do. */
export function profileArgs(cpuProfDir: string | undefined, name: string): string[] {
  return cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${join(cpuProfDir, name)}`] : [];
}
