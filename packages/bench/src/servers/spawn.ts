import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FromServer, Listening, ToServer } from "./control.js";

export interface ServerProcess {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  /** Bearer secret its MCP endpoints require; absent when it runs without auth. */
  readonly token: string | undefined;
  /** `process.memoryUsage()` of the server after a full GC. */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  execArgv?: string[];
  /** Arguments of the entry. */
  args?: string[];
  /** The child's whole environment: nothing of the harness's is inherited. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/** Node flags that run a TypeScript entry from source: the tsx loader, resolved from this package. */
export function tsxExecArgv(): string[] {
  return ["--import", import.meta.resolve("tsx")];
}

/** Resolves a server entry file of this package (`servers/bare-sdk.ts`) to a path. */
export function entryPath(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

/**
 * Runs a server entry in a child process, so the load generator does not share its event loop,
 * and waits until it listens.
 */
export async function spawnServer(
  name: string,
  entry: string,
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const child = fork(entry, options.args ?? [], {
    execArgv: ["--expose-gc", ...tsxExecArgv(), ...(options.execArgv ?? [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: options.env ?? {},
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const { port, token } = await waitForReady(name, child, options.startTimeoutMs ?? 60_000);
  let nextProbe = 0;
  return {
    name,
    port,
    pid: child.pid ?? 0,
    token,
    memory() {
      const id = nextProbe++;
      return ask(child, { type: "memory", id }, (message) =>
        message.type === "memory" && message.id === id ? message.usage : undefined,
      );
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: "stop" } satisfies ToServer);
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function waitForReady(name: string, child: ChildProcess, timeoutMs: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onExit = (code: number | null) => fail(new Error(`${name} exited during start-up (code ${code})`));
    const onMessage = (message: FromServer) => {
      if (message.type === "ready") done(() => resolve({ port: message.port, token: message.token }));
      if (message.type === "failed") fail(new Error(`${name} failed to start:\n${message.message}`));
    };
    function done(then: () => void) {
      clearTimeout(timer);
      child.off("message", onMessage).off("exit", onExit);
      then();
    }
    function fail(error: Error) {
      done(() => reject(error));
      child.kill("SIGKILL");
    }
    child.on("message", onMessage).once("exit", onExit);
  });
}

function ask<T>(
  child: ChildProcess,
  question: ToServer,
  pick: (message: FromServer) => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new Error(`No answer to ${question.type}`))), 30_000);
    const onMessage = (message: FromServer) => {
      const answer = pick(message);
      if (answer !== undefined) finish(() => resolve(answer));
    };
    function finish(then: () => void) {
      clearTimeout(timer);
      child.off("message", onMessage);
      then();
    }
    child.on("message", onMessage);
    child.send(question);
  });
}
