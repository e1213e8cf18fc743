import { Agent } from "node:http";
import { request } from "../clients/http.js";
import { openStreamableSession, type StreamableSession } from "../clients/streamable.js";
import { type LoadResult, runClosedLoop, type Timing } from "../load/closed-loop.js";
import { processCpuMs } from "../load/process-cpu.js";
import type { ServerProcess } from "../servers/spawn.js";
import { UPSTREAM_TOOL, upstreamPath } from "../servers/upstream-app.js";
import { CALL_TIMEOUT_MS, ECHO_TEXT } from "./constants.js";
import { sessionThroughput } from "./http-load.js";

type Server = Pick<ServerProcess, "port" | "pid" | "token">;

/** echo over Streamable HTTP (2025-11-25 sessions), as scenarios/streamable-throughput.ts. */
export function sessionEcho(server: Server, sessions: number, timing: Timing): Promise<LoadResult> {
  const call = (session: StreamableSession) => session.echo(ECHO_TEXT);
  return sessionThroughput(server, "/mcp", openStreamableSession, call, sessions, timing);
}

/** The HTTP tool over the same sessions: each call is one GET to the upstream, made by our server. */
export function sessionHttpTool(server: Server, sessions: number, timing: Timing): Promise<LoadResult> {
  return sessionThroughput(server, "/mcp", openStreamableSession, callUpstreamTool, sessions, timing);
}

async function callUpstreamTool(session: StreamableSession): Promise<void> {
  const result = await session.callTool(UPSTREAM_TOOL, { text: ECHO_TEXT });
  if (result.structuredContent?.text !== ECHO_TEXT)
    throw new Error(`${UPSTREAM_TOOL} returned ${JSON.stringify(result).slice(0, 300)}`);
}

/**
 * The upstream called directly, the GET the HTTP tool makes, from `clients` keep-alive clients.
 * node:http, as the MCP clients use: it costs less per call than fetch, so the direct figure is
 * the smaller and the added latency worked out from it the larger (the conservative side).
 */
export async function directUpstream(
  upstream: Pick<ServerProcess, "port" | "pid">,
  clients: number,
  timing: Timing,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true });
  const url = new URL(`http://127.0.0.1:${upstream.port}${upstreamPath(ECHO_TEXT)}`);
  const call = async () => {
    const res = await request(url, { method: "GET", agent, timeoutMs: CALL_TIMEOUT_MS });
    const answer = res.status === 200 ? (JSON.parse(res.body) as { data?: { text?: unknown } }) : undefined;
    if (answer?.data?.text !== ECHO_TEXT)
      throw new Error(`the upstream answered ${res.status}: ${res.body.slice(0, 200)}`);
  };
  try {
    return await runClosedLoop(
      Array.from({ length: clients }, () => call),
      { ...timing, serverCpuMs: () => processCpuMs(upstream.pid) },
    );
  } finally {
    agent.destroy();
  }
}
