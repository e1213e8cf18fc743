import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type PgliteThread, startPgliteThread } from "./pglite-thread.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mcp-pglite-"));
  dirs.push(dir);
  return dir;
};
const threads: PgliteThread[] = [];
const start = async (...args: Parameters<typeof startPgliteThread>) => {
  const thread = await startPgliteThread(...args);
  threads.push(thread);
  return thread;
};
afterEach(async () => {
  for (const thread of threads.splice(0)) await thread.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const value = async (thread: PgliteThread, sql: string) =>
  ((await thread.query(sql, [], "array")) as string[][])[0]?.[0];

describe("embedded database thread", () => {
  it("runs an in-memory database with the small buffer pool", async () => {
    const thread = await start(undefined);
    expect(await value(thread, "show shared_buffers")).toBe("16MB");
    expect(await value(thread, "show maintenance_work_mem")).toBe("16MB");
  });

  it("runs a data folder with it too, whatever the folder's postgresql.conf says", async () => {
    const dir = tempDir();
    await (await startPgliteThread(dir)).close();
    expect(readFileSync(join(dir, "postgresql.conf"), "utf8")).toMatch(/^shared_buffers = 128MB/m);
    const thread = await start(dir);
    expect(await value(thread, "show shared_buffers")).toBe("16MB");
  });

  it("checkpoints once enough WAL has accumulated, which single-user Postgres never does itself", async () => {
    const thread = await start(undefined, { checkpointWalBytes: 1 << 20, checkpointCheckMs: 50 });
    const redo = () => value(thread, "select redo_lsn::text from pg_control_checkpoint()");
    const before = await redo();
    await thread.query(
      "create table filler as select repeat(md5(i::text), 8) as v from generate_series(1, 20000) i",
      [],
      "array",
    );
    await vi.waitFor(async () => expect(await redo()).not.toBe(before), { timeout: 5_000, interval: 100 });
  });
});
