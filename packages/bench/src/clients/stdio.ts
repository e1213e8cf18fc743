import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import {
  echoRequest,
  expectEcho,
  expectResult,
  initializedNotification,
  initializeRequest,
  type JsonRpcResponse,
} from "./jsonrpc.js";

const PROTOCOL_VERSION = "2025-11-25";
const START_TIMEOUT_MS = 60_000;

export interface StdioCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface StdioSession {
  readonly pid: number;
  echo(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Spawns an MCP server on stdio and speaks newline-delimited JSON-RPC to it. */
export async function openStdioSession(
  { command, args, env }: StdioCommand,
  timeoutMs: number,
): Promise<StdioSession> {
  // Nothing is inherited: a DATABASE_URL or REDIS_URL in the caller's shell must not reach the server.
  const child = spawn(command, args, {
    stdio: ["pipe", "pipe", "inherit"],
    env: env ?? {},
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const waiting = new Map<number, { resolve(message: JsonRpcResponse): void; reject(error: Error): void }>();
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  child.once("error", fail);
  child.stdin.on("error", fail);
  child.once("exit", (code, signal) => fail(new Error(`stdio server exited (${signal ?? code})`)));
  createInterface({ input: child.stdout }).on("line", (line) => {
    const message = JSON.parse(line) as JsonRpcResponse;
    if (typeof message.id !== "number") return;
    waiting.get(message.id)?.resolve(message);
    waiting.delete(message.id);
  });

  const call = (id: number, message: unknown, ms = timeoutMs) =>
    new Promise<JsonRpcResponse>((resolve, reject) => {
      if (failure) return reject(failure);
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`No answer to request ${id} within ${ms} ms`));
      }, ms);
      waiting.set(id, {
        resolve(answer) {
          clearTimeout(timer);
          resolve(answer);
        },
        reject(error) {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.stdin.write(`${JSON.stringify(message)}\n`);
    });

  // The first answer waits for the server's start-up (tsx compile, database migration).
  const initialized = await call(0, initializeRequest(0, PROTOCOL_VERSION), START_TIMEOUT_MS).catch(
    async (error: unknown) => {
      child.kill("SIGKILL");
      throw error;
    },
  );
  expectResult(initialized, 0);
  child.stdin.write(`${JSON.stringify(initializedNotification)}\n`);
  let nextId = 1;
  return {
    pid: child.pid ?? 0,
    async echo(text) {
      const id = nextId++;
      expectEcho(await call(id, echoRequest(id, text)), id, text);
    },
    async close() {
      // End of input is how a stdio client says goodbye; signals only for a server that ignores it.
      child.stdin.end();
      const term = setTimeout(() => child.kill("SIGTERM"), 3_000);
      const kill = setTimeout(() => child.kill("SIGKILL"), 8_000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    },
  };
}
