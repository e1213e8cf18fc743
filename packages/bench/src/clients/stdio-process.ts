import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { JsonRpcResponse } from "./jsonrpc.js";

export interface StdioCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The longest a server may take from spawn to its first answer (tsx compiling, a database migrating). */
export const START_TIMEOUT_MS = 60_000;

/** A spawned stdio server, spoken to in newline-delimited JSON-RPC. */
export interface StdioProcess {
  readonly pid: number;
  /** `performance.now()` just before the process was spawned. */
  readonly spawnedAt: number;
  /** Writes a request at once; resolves with its answer, rejects after `timeoutMs` or when the process ends. */
  request(id: number, message: unknown, timeoutMs: number): Promise<JsonRpcResponse>;
  notify(message: unknown): void;
  /** Ends its input, as a stdio client says goodbye, and waits for it to exit. */
  close(): Promise<void>;
  /** For a server that failed: nothing it does any more counts. */
  kill(): Promise<void>;
}

/** What the server wrote to stderr last: shown when it fails, instead of mixed into the bench's output. */
const STDERR_TAIL_CHARS = 2_000;

/** Spawns `command` with only `env` (nothing of the harness's: a DATABASE_URL in the shell must not reach it). */
export function spawnStdio({ command, args, env }: StdioCommand): StdioProcess {
  const spawnedAt = performance.now();
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: env ?? {} });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    // A command that could not be spawned has no process to exit.
    child.once("error", () => child.pid === undefined && resolve());
  });
  const waiting = new Map<number, { resolve(message: JsonRpcResponse): void; reject(error: Error): void }>();
  let stderr = "";
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  child.once("error", fail);
  child.stdin.on("error", fail);
  child.once("exit", (code, signal) => {
    const tail = stderr.trim();
    fail(new Error(`stdio server exited (${signal ?? code})${tail ? `; its stderr ended:\n${tail}` : ""}`));
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    const message = JSON.parse(line) as JsonRpcResponse;
    if (typeof message.id !== "number") return;
    waiting.get(message.id)?.resolve(message);
    waiting.delete(message.id);
  });
  const write = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);

  return {
    pid: child.pid ?? 0,
    spawnedAt,
    request: (id, message, timeoutMs) =>
      new Promise<JsonRpcResponse>((resolve, reject) => {
        if (failure) return reject(failure);
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`No answer to request ${id} within ${timeoutMs} ms`));
        }, timeoutMs);
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
        write(message);
      }),
    notify: write,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Signals only for a server that ignores the end of its input.
      child.stdin.end();
      const term = setTimeout(() => child.kill("SIGTERM"), 3_000);
      // Late: a server stopped during its first start finishes making its data folder (initdb, some
      // seconds on a busy machine) before it exits; killed, it would leave that to an orphan.
      const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
