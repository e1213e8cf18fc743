import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../errors.js";

const LOCK_FILE = "mcp-tools.pid";

/**
 * Claims the embedded database's folder for this process. Two processes opening one PGlite folder
 * would corrupt it, so a second one is refused with a message saying what to do instead.
 * A lock left by a process that no longer runs is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(path, "utf8"));
      // Our own pid in the file is a lock left before a restart that reused the pid (containers).
      if (holder !== process.pid && isRunning(holder)) {
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
