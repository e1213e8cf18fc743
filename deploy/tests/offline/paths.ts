import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** deploy/, whatever the working directory. */
export const deployDir = join(dirname(fileURLToPath(import.meta.url)), "../..");
/** The repository root. */
export const rootDir = join(deployDir, "..");

export const readDeployFile = (name: string) => readFileSync(join(deployDir, name), "utf8");
