import { openStreamableSession } from "../clients/streamable.js";
import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { ServerProcess } from "../servers/spawn.js";
import { echoThroughput, type HttpLoadOptions } from "./http-load.js";

/** echo over Streamable HTTP: `sessions` clients, each with one call in flight. */
export function streamableThroughput(
  server: Pick<ServerProcess, "port" | "pid" | "token">,
  sessions: number,
  timing: Timing,
  options?: HttpLoadOptions,
): Promise<LoadResult> {
  return echoThroughput(server, "/mcp", openStreamableSession, sessions, timing, options);
}
