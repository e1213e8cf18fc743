import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Embedded-database folders for the stdio server and the launcher, all under one temporary folder. */
export interface DataFolders {
  /** A folder that does not exist yet, as a desktop client's first start finds its DATA_DIR. */
  next(name: string): string;
  remove(folder: string): Promise<void>;
  /** Removes every folder, the temporary one included. */
  removeAll(): Promise<void>;
}

export async function createDataFolders(): Promise<DataFolders> {
  const root = await mkdtemp(join(tmpdir(), "mcp-bench-data-"));
  let count = 0;
  return {
    next: (name) => join(root, `${name}-${++count}`),
    remove: (folder) => rm(folder, { recursive: true, force: true }),
    removeAll: () => rm(root, { recursive: true, force: true }),
  };
}
