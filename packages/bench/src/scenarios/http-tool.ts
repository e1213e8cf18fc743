import { Agent } from "node:http";
import { request } from "../clients/http.js";
import { openStreamableSession, type StreamableSession } from "../clients/streamable.js";
import { type LoadResult, runClosedLoop, type Timing } from "../load/closed-loop.js";
import { type LatencyRun, runInterleaved } from "../load/interleaved.js";
import { processCpuMs } from "../load/process-cpu.js";
import type { HttpToolPath } from "../results-http-tool.js";
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
  const call = upstreamCall(upstream, agent);
  try {
    return await runClosedLoop(
      Array.from({ length: clients }, () => call),
      { ...timing, serverCpuMs: () => processCpuMs(upstream.pid) },
    );
  } finally {
    agent.destroy();
  }
}

/**
 * One client, one call in flight, taking echo, the HTTP tool (both over one session) and the
 * upstream directly in turn: no call waits behind another, and all three meet the same machine.
 */
export async function interleavedHttpTool(
  server: Server,
  upstream: Pick<ServerProcess, "port">,
  timing: Timing,
): Promise<Record<HttpToolPath, LatencyRun>> {
  const agent = new Agent({ keepAlive: true });
  const direct = new Agent({ keepAlive: true });
  try {
    const session = await openStreamableSession(new URL(`http://127.0.0.1:${server.port}/mcp`), {
      agent,
      timeoutMs: CALL_TIMEOUT_MS,
      token: server.token,
    });
    try {
      return await runInterleaved<HttpToolPath>(
        {
          echo: () => session.echo(ECHO_TEXT),
          tool: () => callUpstreamTool(session),
          direct: upstreamCall(upstream, direct),
        },
        timing,
      );
    } finally {
      await session.close();
    }
  } finally {
    agent.destroy();
    direct.destroy();
  }
}

/** One GET of the upstream's echo, its answer checked. */
function upstreamCall(upstream: Pick<ServerProcess, "port">, agent: Agent): () => Promise<void> {
  const url = new URL(`http://127.0.0.1:${upstream.port}${upstreamPath(ECHO_TEXT)}`);
  return async () => {
    const res = await request(url, { method: "GET", agent, timeoutMs: CALL_TIMEOUT_MS });
    const answer = res.status === 200 ? (JSON.parse(res.body) as { data?: { text?: unknown } }) : undefined;
    if (answer?.data?.text !== ECHO_TEXT)
      throw new Error(`the upstream answered ${res.status}: ${res.body.slice(0, 200)}`);
  };
}
