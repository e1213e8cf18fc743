import { openLegacySession } from "../clients/legacy-sse.js";
import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { ServerProcess } from "../servers/spawn.js";
import { echoThroughput, type HttpLoadOptions } from "./http-load.js";

/** echo over legacy HTTP+SSE: `sessions` clients, each with one call in flight. */
export function legacySseThroughput(
  server: Pick<ServerProcess, "port" | "pid" | "token">,
  sessions: number,
  timing: Timing,
  options?: HttpLoadOptions,
): Promise<LoadResult> {
  return echoThroughput(server, "/sse", openLegacySession, sessions, timing, options);
}
