import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { InitializeResult } from "@modelcontextprotocol/sdk/types.js";
import { TASK_REVISIONS } from "./session-wire.js";

type RequestHandler = (request: unknown, extra: unknown) => Promise<unknown>;

/** What `initialize` settled for one session. */
export interface SessionRevision {
  /** The revision the session speaks; undefined until it has initialized. */
  readonly revision: string | undefined;
  /** Whether that revision has tasks (MCP 2025-11-25 §Tasks). */
  readonly tasks: boolean;
}

/**
 * Records the revision a session negotiates, and answers `initialize` with the `tasks` capability
 * only where that revision has tasks. The SDK v1 server fixes its capabilities when it is built,
 * before the client says which revision it speaks, and only takes tasks/* handlers and
 * `params.task` for a capability so fixed: the server declares `tasks`, and this takes it out of
 * what clients of other revisions are told. v1 offers no hook around its `initialize`, so we reach
 * in here, as malformed-params.ts does, in the files that know the SDK's server API.
 */
export function sessionRevision(server: Server): SessionRevision {
  let revision: string | undefined;
  const handlers = (server as unknown as { _requestHandlers: Map<string, RequestHandler> })._requestHandlers;
  const initialize = handlers.get("initialize");
  if (!initialize) throw new Error("the SDK server has no initialize handler to wrap");
  // Not async: the SDK's parse of the params throws synchronously, which malformed-params.ts catches.
  handlers.set("initialize", (request, extra) =>
    initialize(request, extra).then((answer) => {
      const result = answer as InitializeResult;
      revision = result.protocolVersion;
      if (TASK_REVISIONS.has(revision)) return result;
      const { tasks: _, ...capabilities } = result.capabilities;
      return { ...result, capabilities };
    }),
  );
  return {
    get revision() {
      return revision;
    },
    get tasks() {
      return revision !== undefined && TASK_REVISIONS.has(revision);
    },
  };
}
