import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../errors.js";

const LOCK_FILE = "mcp-tools.pid";
// When this process started, to tell it from an earlier one that had the same pid (a container
// restart). Not performance.timeOrigin: reading `performance` loads perf_hooks, in front of a stdio
// server's first answer.
const processStartedAt = Math.round(Date.now() - process.uptime() * 1_000);

/**
 * Claims the embedded database's folder for this process. Two processes opening one PGlite folder
 * would corrupt it, so a second one is refused with a message saying what to do instead.
 * A lock left by a process that no longer runs is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  const owner = `${process.pid} ${processStartedAt}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, owner, { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const recorded = readFileSync(path, "utf8");
      const holder = Number(recorded.split(" ")[0]);
      const stale = holder === process.pid ? recorded !== owner : !isRunning(holder);
      if (!stale) {
        throw new AppError(
          "UNAVAILABLE",
          `DATA_DIR ${dataDir} is in use by process ${holder}. The embedded database serves one process: ` +
            "give this one another DATA_DIR, or let several processes share PostgreSQL through DATABASE_URL.",
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError("UNAVAILABLE", `Could not lock DATA_DIR ${dataDir}`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
