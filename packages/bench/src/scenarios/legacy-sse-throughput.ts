import { Agent } from "node:http";
import { openLegacySession } from "../clients/legacy-sse.js";
import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { ServerProcess } from "../servers/spawn.js";
import { CALL_TIMEOUT_MS, ECHO_TEXT } from "./constants.js";
import { type HttpLoadOptions, openSessions, resolveLoad } from "./http-load.js";

/** echo over legacy HTTP+SSE: `sessions` clients, each with one call in flight. */
export async function legacySseThroughput(
  server: Pick<ServerProcess, "port" | "pid" | "token">,
  sessions: number,
  timing: Timing,
  options?: HttpLoadOptions,
): Promise<LoadResult> {
  const { clientHeaders, serverCpuMs, load, ...opening } = resolveLoad(server, options);
  const agent = new Agent({ keepAlive: true });
  const sseUrl = new URL(`http://127.0.0.1:${server.port}/sse`);
  const clients = await openSessions(
    sessions,
    (index) =>
      openLegacySession(sseUrl, {
        agent,
        timeoutMs: CALL_TIMEOUT_MS,
        token: server.token,
        headers: clientHeaders(index),
      }),
    (client) => client.close(),
    opening,
  ).catch((error: unknown) => {
    agent.destroy();
    throw error;
  });
  try {
    return await load(
      clients.map((client) => () => client.echo(ECHO_TEXT)),
      { ...timing, serverCpuMs },
    );
  } finally {
    for (const client of clients) client.close();
    agent.destroy();
  }
}
