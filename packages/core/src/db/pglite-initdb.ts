import { spawn } from "node:child_process";

/** What the child runs: PGlite makes the folder (initdb) on opening it; it closes it and exits. */
const initdbSource = `
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
const [dataDir, resolveFrom, settings] = JSON.parse(process.argv[1]);
const { PGlite } = require("node:module").createRequire(resolveFrom)("@electric-sql/pglite");
const db = new PGlite({ dataDir, startParams: [...PGlite.defaultStartParams, ...settings.flatMap((s) => ["-c", s])] });
db.waitReady.then(() => db.close()).then(
  () => process.exit(0),
  (e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); },
);
`;

const MAX_ERROR_CHARS = 2_000;

/**
 * Makes a new embedded database in `dataDir` in a child process, before a thread opens it. initdb
 * takes PGlite to some 650 MB at its peak, and what a process's allocator has taken it keeps:
 * made by a process that then exits, the folder's first server holds what any later one does
 * (some 80 MB less). The child ignores SIGINT and SIGTERM, which a terminal or a supervisor sends
 * the whole process group: a folder half made would not open again.
 */
export function initPgliteFolder(dataDir: string, settings: readonly string[]): Promise<void> {
  const args = JSON.stringify([dataDir, import.meta.url, settings]);
  // Liftoff only, as the database thread runs (see pglite-thread.ts): initdb opens twice as fast.
  const child = spawn(process.execPath, ["--liftoff-only", "-e", initdbSource, args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString("utf8")).slice(0, MAX_ERROR_CHARS);
  });
  return new Promise((resolve, reject) => {
    child.once("error", (error) =>
      reject(new Error(`could not make the database in ${dataDir}`, { cause: error })),
    );
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `could not make the database in ${dataDir}: ${errors.trim() || `initdb ended (${signal ?? code})`}`,
          ),
        );
    });
  });
}
