import type { RelayHandlers } from "./cluster/relay.js";
import { sessionNotFound } from "./json-rpc.js";
import type { EdgeLimits } from "./limits.js";
import { createSessionHandler } from "./session-handler.js";
import { type SessionRegistry, sessionOf } from "./sessions.js";
import { deliverMessages } from "./sse-deliver.js";

/**
 * How this process answers requests other replicas relay to it for the sessions it holds: by the
 * same code that answers them when the client asks here directly.
 */
export function relayHandlers(sessions: SessionRegistry, limits: EdgeLimits): RelayHandlers {
  const handle = createSessionHandler(limits);
  return {
    async mcp({ session: key, principalId, method, headers, body }) {
      const session = sessionOf(sessions.useByKey(key), "streamable-http", principalId);
      if (!session) return sessionNotFound();
      const request = new Request("http://relay/mcp", {
        method,
        headers: { ...headers, "mcp-session-id": session.id },
      });
      return handle(session, request, body);
    },
    async messages({ session: key, principalId, body }) {
      const session = sessionOf(sessions.useByKey(key), "sse", principalId);
      return session && body !== undefined ? deliverMessages(session, body, limits) : sessionNotFound();
    },
  };
}
