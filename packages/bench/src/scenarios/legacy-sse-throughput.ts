import { Agent } from "node:http";
import { openLegacySession } from "../clients/legacy-sse.js";
import { type LoadResult, runClosedLoop, type Timing } from "../load/closed-loop.js";
import { processCpuMs } from "../load/process-cpu.js";
import type { ServerProcess } from "../servers/spawn.js";
import { CALL_TIMEOUT_MS, ECHO_TEXT } from "./constants.js";

/** echo over legacy HTTP+SSE: `sessions` clients, each with one call in flight. */
export async function legacySseThroughput(
  server: ServerProcess,
  sessions: number,
  timing: Timing,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true });
  const sseUrl = new URL(`http://127.0.0.1:${server.port}/sse`);
  const clients = await Promise.all(
    Array.from({ length: sessions }, () =>
      openLegacySession(sseUrl, { agent, timeoutMs: CALL_TIMEOUT_MS, token: server.token }),
    ),
  );
  try {
    return await runClosedLoop(
      clients.map((client) => () => client.echo(ECHO_TEXT)),
      { ...timing, serverCpuMs: () => processCpuMs(server.pid) },
    );
  } finally {
    for (const client of clients) client.close();
    agent.destroy();
  }
}
