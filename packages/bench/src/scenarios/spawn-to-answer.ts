import {
  expectResult,
  initializeRequest,
  MODERN_PROTOCOL_VERSION,
  modernRequest,
} from "../clients/jsonrpc.js";
import { START_TIMEOUT_MS, type StdioCommand, spawnStdio } from "../clients/stdio-process.js";
import type { FirstRequest } from "../results-startup.js";

/** What a desktop client of each era writes first: 2025-11-25 `initialize`, or 2026-07-28 `server/discover`. */
const firstMessages: Record<FirstRequest, unknown> = {
  initialize: initializeRequest(0, "2025-11-25"),
  "server/discover": modernRequest(0, "server/discover"),
};

/**
 * Milliseconds from spawning a stdio server to its answer to the first request, written the moment
 * it is spawned, as a desktop client does; the server is then told goodbye and waited for.
 */
export async function spawnToAnswer(command: StdioCommand, first: FirstRequest): Promise<number> {
  const server = spawnStdio(command);
  try {
    const answer = await server.request(0, firstMessages[first], START_TIMEOUT_MS);
    const ms = performance.now() - server.spawnedAt;
    check(first, expectResult(answer, 0));
    await server.close();
    return ms;
  } catch (error) {
    await server.kill();
    throw error;
  }
}

/** An answer that is not the one asked for must not count as an answer. */
function check(first: FirstRequest, result: unknown): void {
  const offered = (result as { protocolVersion?: unknown; supportedVersions?: unknown }) ?? {};
  const ok =
    first === "initialize"
      ? offered.protocolVersion === "2025-11-25"
      : Array.isArray(offered.supportedVersions) &&
        offered.supportedVersions.includes(MODERN_PROTOCOL_VERSION);
  if (!ok) throw new Error(`${first} answered ${JSON.stringify(result).slice(0, 300)}`);
}
