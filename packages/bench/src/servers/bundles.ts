import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StdioCommand } from "../clients/stdio-process.js";

/** The bundles `pnpm build` makes (tsup), each run by plain `node` as a desktop client or an image runs it. */
export type Bundle = "stdio" | "launcher" | "bare-stdio";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

const bundles: Record<Bundle, { workspacePackage: string; main: string }> = {
  stdio: { workspacePackage: "@mcp-tools/mcp-stdio", main: "services/mcp-stdio/dist/main.js" },
  launcher: { workspacePackage: "@mcp-tools/launcher", main: "services/launcher/dist/main.js" },
  "bare-stdio": { workspacePackage: "@mcp-tools/bench", main: "packages/bench/dist/bare-sdk-stdio.js" },
};

/** Where a bundle's entry is, once built. */
export function bundlePath(bundle: Bundle): string {
  return `${ROOT}${bundles[bundle].main}`;
}

/** A stdio bundle run by plain node with `env` alone, as a desktop client's configuration runs it. */
export function bundleCommand(bundle: Bundle, env: Record<string, string> = {}): StdioCommand {
  return { command: process.execPath, args: [bundlePath(bundle)], env };
}

/**
 * Builds the bundles afresh with each package's own `build` script: a bundle left over from an
 * earlier build would measure code that is no longer there. Through pnpm rather than turbo: only the
 * packages asked for, and nothing written to turbo's cache, which the repository's git worktrees share.
 */
export async function buildBundles(names: readonly Bundle[]): Promise<void> {
  const filters = names.flatMap((name) => ["--filter", bundles[name].workspacePackage]);
  const child = spawn("pnpm", [...filters, "run", "build"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", (error) =>
      reject(new Error(`could not run pnpm to build the bundles`, { cause: error })),
    );
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`building ${names.join(", ")} failed (pnpm exited ${code}):\n${output}`);
}
