/** The IPC conversation between the harness and a server it runs in a child process. */

/** The argument that asks a replica to create the cluster's API key and report it. */
export const CREATE_KEY = "--create-key";

export type ToServer = { type: "memory"; id: number } | { type: "stop" };

export type FromServer =
  | ({ type: "ready" } & Listening)
  | { type: "memory"; id: number; usage: NodeJS.MemoryUsage }
  | { type: "failed"; message: string };

/** Where a server listens, and the bearer secret its MCP endpoints require (absent: no auth). */
export interface Listening {
  port: number;
  token?: string;
}

/**
 * Called by a server entry once it listens: answers memory probes (after a full GC, so only what
 * is retained counts) and stops when asked, or when the harness goes away.
 */
export function serveControl(listening: Listening, stop: () => Promise<void>): void {
  const send = (message: FromServer) => process.send?.(message);
  process.on("message", async (message: ToServer) => {
    if (message.type === "memory") {
      await collectGarbage();
      send({ type: "memory", id: message.id, usage: process.memoryUsage() });
    } else if (message.type === "stop") {
      await stop().catch(() => undefined);
      process.exit(0);
    }
  });
  // A harness that crashed must not leave servers behind.
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", ...listening });
}

/** Reports a start-up failure to the harness instead of leaving it waiting. */
export function reportFailure(error: unknown): never {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.send?.({ type: "failed", message } satisfies FromServer);
  process.exit(1);
}

async function collectGarbage(): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error("Run the server with --expose-gc");
  // Several passes with turns of the event loop between them, so finalizers and weak callbacks run.
  for (let pass = 0; pass < 3; pass += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
