import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { initPgliteFolder } from "./pglite-initdb.js";
import { PGLITE_SETTINGS } from "./pglite-settings.js";
import { startPgliteThread } from "./pglite-thread.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mcp-initdb-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("initPgliteFolder", () => {
  it("makes a database in a child process that a thread then opens", async () => {
    const dir = join(tempDir(), "data");
    await initPgliteFolder(dir, PGLITE_SETTINGS);
    expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
    const thread = await startPgliteThread(dir);
    try {
      expect(await thread.query("select 1 + 1", [], "array")).toEqual([[2]]);
    } finally {
      await thread.close();
    }
  });

  it("says why when the folder cannot be made", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "not a folder");
    await expect(initPgliteFolder(join(file, "data"), PGLITE_SETTINGS)).rejects.toThrow(
      /could not make the database in .*a-file\/data: \S+/,
    );
  });
});
