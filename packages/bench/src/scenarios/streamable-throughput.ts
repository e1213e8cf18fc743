import { Agent } from "node:http";
import { openStreamableSession } from "../clients/streamable.js";
import { type LoadResult, runClosedLoop, type Timing } from "../load/closed-loop.js";
import { processCpuMs } from "../load/process-cpu.js";
import type { ServerProcess } from "../servers/spawn.js";
import { CALL_TIMEOUT_MS, ECHO_TEXT } from "./constants.js";

/** echo over Streamable HTTP: `sessions` clients, each with one call in flight. */
export async function streamableThroughput(
  server: ServerProcess,
  sessions: number,
  timing: Timing,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true });
  const endpoint = new URL(`http://127.0.0.1:${server.port}/mcp`);
  const clients = await Promise.all(
    Array.from({ length: sessions }, () =>
      openStreamableSession(endpoint, { agent, timeoutMs: CALL_TIMEOUT_MS, token: server.token }),
    ),
  );
  try {
    return await runClosedLoop(
      clients.map((client) => () => client.echo(ECHO_TEXT)),
      { ...timing, serverCpuMs: () => processCpuMs(server.pid) },
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    agent.destroy();
  }
}
