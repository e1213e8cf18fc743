import { openModernClient } from "../clients/modern.js";
import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { ServerProcess } from "../servers/spawn.js";
import { echoThroughput, type HttpLoadOptions } from "./http-load.js";

/**
 * echo over /mcp as MCP 2026-07-28 clients: `clients` of them, each with one call in flight, one
 * POST per call and no session; each asks `server/discover` once before the load starts.
 */
export function modernThroughput(
  server: Pick<ServerProcess, "port" | "pid" | "token">,
  clients: number,
  timing: Timing,
  options?: HttpLoadOptions,
): Promise<LoadResult> {
  return echoThroughput(server, "/mcp", openModernClient, clients, timing, options);
}
