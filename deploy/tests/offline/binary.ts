import { spawnSync } from "node:child_process";

/** Whether `name --version` runs. */
export function isInstalled(name: string): boolean {
  return spawnSync(name, ["--version"], { stdio: "ignore" }).status === 0;
}
