import { randomBytes } from "node:crypto";
import { PassThrough, type Readable, type Writable } from "node:stream";
import {
  type AppContext,
  claimsModernEnvelope,
  createMcpServer,
  localPrincipal,
  publicSessionId,
  type RunningService,
  requestIdOf,
} from "@mcp-tools/core";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { readLines } from "./lines.js";
import type { ModernStdio } from "./modern.js";

export interface StdioOptions {
  input?: Readable;
  output?: Writable;
}

export interface StdioService extends RunningService {
  /** Resolves when the client closes stdin: whoever spawned us is gone. */
  readonly closed: Promise<void>;
}

const PARSE_ERROR = -32_700;
const INTERNAL_ERROR = -32_603;

/**
 * Serves MCP on stdin/stdout as the local user. stdout carries JSON-RPC only; logs go to stderr.
 * The connection's era is the client's (MCP 2026-07-28 §stdio): messages with a modern `_meta`
 * envelope (`server/discover` first, say) are answered statelessly here; the first that is not
 * (`initialize`) hands the connection, that message included, to an SDK v1 server for good.
 * The modern era's code (SDK v2 among it) loads with the first modern message, so that a client of
 * the 2025 eras, most today, is answered without compiling it.
 */
export async function start(
  ctx: AppContext,
  { input = process.stdin, output = process.stdout }: StdioOptions = {},
): Promise<StdioService> {
  // The process ends when its client closes stdin; without watching, it would linger.
  const closed = new Promise<void>((resolve) => {
    input.once("end", resolve);
    input.once("close", resolve);
  });
  const send = (message: object) => output.write(`${JSON.stringify(message)}\n`);
  let modern: ModernStdio | undefined;
  let legacy: { close(): Promise<void> } | undefined;
  let stopped = false;

  const reader = readLines(input, {
    maxBytes: ctx.config.MAX_BODY_BYTES,
    onOversized: () =>
      send(parseError(`Parse error: a message longer than ${ctx.config.MAX_BODY_BYTES} bytes`)),
    onLine(line) {
      let body: unknown;
      try {
        body = JSON.parse(line);
      } catch {
        send(parseError("Parse error: Invalid JSON"));
        return;
      }
      if (modern) {
        if (!modern.receive(body)) legacy = handOver(line);
      } else if (claimsModernEnvelope(body)) {
        reader.pause();
        void loadModern().then((loaded) => {
          if (stopped) return;
          if (loaded) loaded.receive(body);
          else
            send(
              rpcError(
                requestIdOf(body),
                INTERNAL_ERROR,
                "Internal error: the 2026-07-28 era could not load",
              ),
            );
          reader.resume();
        });
      } else {
        legacy = handOver(line);
      }
    },
  });

  async function loadModern(): Promise<ModernStdio | undefined> {
    try {
      const { createModernStdio } = await import("./modern.js");
      modern = createModernStdio(ctx, send);
      return modern;
    } catch (error) {
      // Only a broken installation gets here; the 2025 eras still serve.
      ctx.log.error({ err: error }, "stdio: could not load the 2026-07-28 era");
      return undefined;
    }
  }

  function handOver(line: string) {
    const rest = new PassThrough();
    rest.write(`${line}\n`);
    rest.write(reader.detach());
    input.pipe(rest);
    input.resume();
    const server = createMcpServer(ctx, { principal: localPrincipal, transport: "stdio" });
    server.connect(new StdioServerTransport(rest, output)).catch((error: unknown) => {
      ctx.log.error({ err: error }, "stdio: could not start the MCP server");
    });
    return server;
  }

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
  return {
    name: "stdio",
    closed,
    async stop() {
      if (stopped) return;
      stopped = true;
      ctx.metrics.sessionsActive.dec({ transport: "stdio" });
      await leavePresence();
      modern?.close();
      await legacy?.close();
    },
  };
}

const rpcError = (id: unknown, code: number, message: string) => ({
  jsonrpc: "2.0",
  id,
  error: { code, message },
});
const parseError = (message: string) => rpcError(null, PARSE_ERROR, message);
