import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { realServiceUrl } from "@mcp-tools/core/testing";

/** The repository root: where the bundles are, and where the services run from. */
export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface RuntimeNeeds {
  /** Programs that must be on PATH (or in /usr/sbin, where Debian puts nginx). */
  binaries?: string[];
  /** Real services the test talks to. */
  services?: Array<"DATABASE_URL" | "REDIS_URL">;
}

export interface RuntimeServices {
  databaseUrl: string;
  redisUrl: string;
}

/**
 * What the test needs from this machine, or undefined when something is missing: the caller skips,
 * and a warning says what is missing. With CI set, anything missing fails the run instead.
 */
export function requireRuntime({ binaries = [], services = [] }: RuntimeNeeds): RuntimeServices | undefined {
  const missing = binaries.filter((name) => !findBinary(name));
  if (missing.length > 0) {
    const message = `${missing.join(", ")} not installed: runtime tests that need ${missing.length > 1 ? "them" : "it"} are skipped (apt-get install nginx supervisor redis-server)`;
    if (process.env.CI) throw new Error(`${message}, but CI must run them`);
    console.warn(message);
    return undefined;
  }
  // realServiceUrl warns (or throws in CI) for each missing URL.
  const urls = Object.fromEntries(services.map((key) => [key, realServiceUrl(key)]));
  if (services.some((key) => !urls[key])) return undefined;
  missingBundles();
  return { databaseUrl: urls.DATABASE_URL ?? "", redisUrl: urls.REDIS_URL ?? "" };
}

/** The full path of a program, looked up on PATH and in the sbin folders. */
export function findBinary(name: string): string | undefined {
  const folders = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const folder of folders.filter(Boolean)) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** The bundles are built by `pnpm build` (turbo builds them before this package's tests). */
function missingBundles() {
  const bundles = ["services/mcp-sse/dist/main.js", "services/admin/dist/main.js"];
  const missing = bundles.filter((bundle) => !existsSync(join(repositoryRoot, bundle)));
  if (missing.length > 0) throw new Error(`${missing.join(", ")} missing: run \`pnpm build\` first`);
}
