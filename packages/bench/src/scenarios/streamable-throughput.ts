import { Agent } from "node:http";
import { openStreamableSession } from "../clients/streamable.js";
import type { LoadResult, Timing } from "../load/closed-loop.js";
import type { ServerProcess } from "../servers/spawn.js";
import { CALL_TIMEOUT_MS, ECHO_TEXT } from "./constants.js";
import { type HttpLoadOptions, openSessions, resolveLoad } from "./http-load.js";

/** echo over Streamable HTTP: `sessions` clients, each with one call in flight. */
export async function streamableThroughput(
  server: Pick<ServerProcess, "port" | "pid" | "token">,
  sessions: number,
  timing: Timing,
  options?: HttpLoadOptions,
): Promise<LoadResult> {
  const { clientHeaders, serverCpuMs, load, ...opening } = resolveLoad(server, options);
  const agent = new Agent({ keepAlive: true });
  const endpoint = new URL(`http://127.0.0.1:${server.port}/mcp`);
  const clients = await openSessions(
    sessions,
    (index) =>
      openStreamableSession(endpoint, {
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
    await Promise.all(clients.map((client) => client.close()));
    agent.destroy();
  }
}
