import {
  echoRequest,
  expectEcho,
  expectResult,
  expectToolResult,
  initializedNotification,
  initializeRequest,
  toolCallRequest,
} from "./jsonrpc.js";
import { START_TIMEOUT_MS, type StdioCommand, spawnStdio } from "./stdio-process.js";

export type { StdioCommand } from "./stdio-process.js";

const PROTOCOL_VERSION = "2025-11-25";

export interface StdioSession {
  readonly pid: number;
  echo(text: string): Promise<void>;
  /** Calls a tool once; throws when it fails. */
  callTool(name: string, args: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Spawns an MCP server on stdio and opens a 2025-11-25 session with it. */
export async function openStdioSession(command: StdioCommand, timeoutMs: number): Promise<StdioSession> {
  const server = spawnStdio(command);
  // The first answer waits for the server's start-up (tsx compile, database migration).
  const initialized = await server
    .request(0, initializeRequest(0, PROTOCOL_VERSION), START_TIMEOUT_MS)
    .catch(async (error: unknown) => {
      await server.kill();
      throw error;
    });
  expectResult(initialized, 0);
  server.notify(initializedNotification);
  let nextId = 1;
  return {
    pid: server.pid,
    async echo(text) {
      const id = nextId++;
      expectEcho(await server.request(id, echoRequest(id, text), timeoutMs), id, text);
    },
    async callTool(name, args) {
      const id = nextId++;
      expectToolResult(await server.request(id, toolCallRequest(id, name, args), timeoutMs), id);
    },
    close: () => server.close(),
  };
}
