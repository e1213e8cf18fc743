import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase } from "./client.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mcp-lock-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const open = (dir: string) =>
  createDatabase({ DATA_DIR: dir, DATABASE_URL: undefined, DATABASE_POOL_MAX: 1 });

describe("embedded database folder lock", () => {
  it("refuses a second opener of the same DATA_DIR, and frees it on close", async () => {
    const dir = tempDir();
    const first = await open(dir);
    await expect(open(dir)).rejects.toThrow(/is in use by process \d+.*DATABASE_URL/);
    await first.close();
    const second = await open(dir);
    await second.close();
  });

  it("takes over a lock left by a process that is gone", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "mcp-tools.pid"), "999999999 1700000000000");
    const database = await open(dir);
    await database.close();
  });

  it("takes over a lock with our pid from an earlier process (a container restart reuses pids)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "mcp-tools.pid"), `${process.pid} 1700000000000`);
    const database = await open(dir);
    await database.close();
  });
});
