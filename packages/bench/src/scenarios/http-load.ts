import { Agent } from "node:http";
import { type LoadOptions, type LoadResult, runClosedLoop, type Timing } from "../load/closed-loop.js";
import { mapLimit } from "../load/map-limit.js";
import { mainThreadCpuMs, processCpuMs } from "../load/process-cpu.js";
import type { ServerProcess } from "../servers/spawn.js";
import { CALL_TIMEOUT_MS, ECHO_TEXT } from "./constants.js";

/** Runs the workers' closed loop; a wrapper may observe the servers around it (phases/cluster-load). */
export type LoadRunner = (
  workers: readonly (() => Promise<void>)[],
  options: LoadOptions,
) => Promise<LoadResult>;

/** How an HTTP throughput scenario reaches its server, when not the defaults (one process, direct). */
export interface HttpLoadOptions {
  /** Headers client `index` sends on every request, e.g. a stable id a load balancer hashes on. */
  clientHeaders?: (index: number) => Record<string, string>;
  /** The server side's cumulative CPU time in ms; defaults to the server process's own. */
  serverCpuMs?: () => Promise<number | undefined>;
  load?: LoadRunner;
  /**
   * How many times a client tries to open its session (default 1). A client that is told its new
   * session is not found must start a new one (MCP 2025-11-25 §Session Management), so a bench
   * may retry; `onOpenFailure` sees every failed attempt, so a retry never hides one.
   */
  openAttempts?: number;
  onOpenFailure?: (error: unknown) => void;
}

/** The options, with the single-process defaults (the server process itself, run directly) filled in. */
export function resolveLoad(server: Pick<ServerProcess, "pid">, options: HttpLoadOptions = {}) {
  return {
    clientHeaders: options.clientHeaders ?? (() => ({})),
    serverCpuMs: options.serverCpuMs ?? (() => processCpuMs(server.pid)),
    // Of one process only: a server side given as several processes has no one main thread.
    serverMainThreadCpuMs: options.serverCpuMs ? undefined : () => mainThreadCpuMs(server.pid),
    load: options.load ?? runClosedLoop,
    openAttempts: options.openAttempts ?? 1,
    onOpenFailure: options.onOpenFailure ?? (() => {}),
  };
}

/**
 * Opens `count` sessions at once, each with up to `attempts` tries; when one still fails, closes the
 * others (a failed run must not leave sessions behind) and throws its error.
 */
export async function openSessions<T>(
  count: number,
  open: (index: number) => Promise<T>,
  close: (session: T) => unknown,
  { openAttempts, onOpenFailure }: Pick<ReturnType<typeof resolveLoad>, "openAttempts" | "onOpenFailure">,
): Promise<T[]> {
  const tryOpen = async (index: number): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await open(index);
      } catch (error) {
        onOpenFailure(error);
        if (attempt >= openAttempts) throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: count }, (_, index) => tryOpen(index)));
  const opened = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = settled.find((result) => result.status === "rejected");
  if (!failed) return opened;
  await mapLimit(opened.length, 16, async (index) => close(opened[index] as T));
  throw new Error(`${count - opened.length} of ${count} sessions did not open`, { cause: failed.reason });
}

/** What the throughput scenarios need of a client session, whatever its transport. */
export interface EchoSession {
  echo(text: string): Promise<void>;
  close(): void | Promise<void>;
}

/** How a scenario opens one client session on its transport. */
export type OpenSession<S> = (
  url: URL,
  options: { agent: Agent; timeoutMs: number; token: string | undefined; headers: Record<string, string> },
) => Promise<S>;
export type OpenEchoSession = OpenSession<EchoSession>;

/** echo over HTTP at `path`: `sessions` clients, each with one call in flight. */
export function echoThroughput(
  server: Pick<ServerProcess, "port" | "pid" | "token">,
  path: "/mcp" | "/sse",
  open: OpenEchoSession,
  sessions: number,
  timing: Timing,
  options?: HttpLoadOptions,
): Promise<LoadResult> {
  const call = (client: EchoSession) => client.echo(ECHO_TEXT);
  return sessionThroughput(server, path, open, call, sessions, timing, options);
}

/** `call` over HTTP at `path`: `sessions` clients, each with one call in flight. */
export async function sessionThroughput<S extends { close(): void | Promise<void> }>(
  server: Pick<ServerProcess, "port" | "pid" | "token">,
  path: "/mcp" | "/sse",
  open: OpenSession<S>,
  call: (session: S) => Promise<void>,
  sessions: number,
  timing: Timing,
  options?: HttpLoadOptions,
): Promise<LoadResult> {
  const { clientHeaders, serverCpuMs, serverMainThreadCpuMs, load, ...opening } = resolveLoad(
    server,
    options,
  );
  const agent = new Agent({ keepAlive: true });
  const url = new URL(`http://127.0.0.1:${server.port}${path}`);
  const clients = await openSessions(
    sessions,
    (index) =>
      open(url, { agent, timeoutMs: CALL_TIMEOUT_MS, token: server.token, headers: clientHeaders(index) }),
    (client) => client.close(),
    opening,
  ).catch((error: unknown) => {
    agent.destroy();
    throw error;
  });
  try {
    return await load(
      clients.map((client) => () => call(client)),
      { ...timing, serverCpuMs, serverMainThreadCpuMs },
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    agent.destroy();
  }
}
