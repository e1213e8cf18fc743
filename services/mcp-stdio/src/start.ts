import { randomBytes } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import {
  type AppContext,
  createMcpServer,
  localPrincipal,
  publicSessionId,
  type RunningService,
} from "@mcp-tools/core";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

export interface StdioOptions {
  input?: Readable;
  output?: Writable;
}

export interface StdioService extends RunningService {
  /** Resolves when the client closes stdin: whoever spawned us is gone. */
  readonly closed: Promise<void>;
}

/** Serves MCP on stdin/stdout as the local user. stdout carries JSON-RPC only; logs go to stderr. */
export async function start(
  ctx: AppContext,
  { input = process.stdin, output = process.stdout }: StdioOptions = {},
): Promise<StdioService> {
  const server = createMcpServer(ctx, { principal: localPrincipal, transport: "stdio" });
  const transport = new StdioServerTransport(input, output);
  // The SDK transport does not watch for end of input; without this the process would linger.
  const closed = new Promise<void>((resolve) => {
    input.once("end", resolve);
    input.once("close", resolve);
  });
  await server.connect(transport);
  ctx.metrics.sessionsActive.inc({ transport: "stdio" });
  // One session for the life of the process; stdio has no session id, so presence gets a random one.
  const session = { id: publicSessionId(randomBytes(16).toString("hex")), startedAt: Date.now() };
  const leavePresence = await ctx.presence.register({
    service: "mcp-stdio",
    sessions: () => [
      {
        ...session,
        transport: "stdio",
        principal: localPrincipal.id,
        lastActivityAt: Date.now(),
        terminable: false,
      },
    ],
  });
  ctx.log.info("stdio transport ready");
  let stopped = false;
  return {
    name: "stdio",
    closed,
    async stop() {
      if (stopped) return;
      stopped = true;
      ctx.metrics.sessionsActive.dec({ transport: "stdio" });
      await leavePresence();
      await server.close();
    },
  };
}
