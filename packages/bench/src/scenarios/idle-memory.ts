import { Agent } from "node:http";
import { openLegacySession } from "../clients/legacy-sse.js";
import { openStreamableSession } from "../clients/streamable.js";
import { mapLimit } from "../load/map-limit.js";
import type { ServerProcess } from "../servers/spawn.js";
import { CALL_TIMEOUT_MS } from "./constants.js";

/**
 * `streamable`: initialized, nothing open. `streamable-listening`: plus the standalone GET stream
 * the SDK's client opens. `legacy-sse`: an initialized HTTP+SSE session, stream held open.
 */
export type IdleKind = "streamable" | "streamable-listening" | "legacy-sse";

export interface MemoryResult {
  sessions: number;
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
  /** Growth of the resident set per session. */
  rssPerSession: number;
  /** Growth of what the GC keeps (heapUsed + external) per session. */
  heapPerSession: number;
}

interface Closable {
  close(): unknown;
}

/** Opens `count` idle sessions and reports the server's retained memory before and after (after GC). */
export async function idleSessionMemory(
  server: ServerProcess,
  kind: IdleKind,
  count: number,
): Promise<MemoryResult> {
  const agent = new Agent({ keepAlive: true });
  const open = opener(server, kind, agent);
  try {
    // Load the code paths once, so the first probe does not leave lazy initialization to the second.
    await mapLimit(8, 8, open).then(closeAll);
    const before = await server.memory();
    const sessions = await mapLimit(count, 16, open);
    const after = await server.memory();
    await closeAll(sessions);
    const retained = (usage: NodeJS.MemoryUsage) => usage.heapUsed + usage.external;
    return {
      sessions: count,
      before,
      after,
      rssPerSession: (after.rss - before.rss) / count,
      heapPerSession: (retained(after) - retained(before)) / count,
    };
  } finally {
    agent.destroy();
  }
}

function opener(server: ServerProcess, kind: IdleKind, agent: Agent): (index: number) => Promise<Closable> {
  const options = { agent, timeoutMs: CALL_TIMEOUT_MS, token: server.token };
  if (kind === "legacy-sse") {
    const sseUrl = new URL(`http://127.0.0.1:${server.port}/sse`);
    return () => openLegacySession(sseUrl, options);
  }
  const endpoint = new URL(`http://127.0.0.1:${server.port}/mcp`);
  return async () => {
    const session = await openStreamableSession(endpoint, options);
    if (kind === "streamable-listening") await session.openListenStream();
    return session;
  };
}

async function closeAll(sessions: readonly Closable[]): Promise<void> {
  await mapLimit(sessions.length, 16, async (index) => sessions[index]?.close());
}
