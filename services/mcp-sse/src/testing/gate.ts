// Helpers for this package's tests; not exported from the package.
import { builtinTools, defineTool } from "@mcp-tools/core";
import { z } from "zod";

/**
 * A `wait` tool whose calls stay in flight until the test opens the gate (or the call is
 * cancelled), to hold streams and calls open on purpose; `tools` is every tool plus it.
 */
export function createGate() {
  let open!: () => void;
  let opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let waiting = 0;
  const wait = defineTool({
    name: "wait",
    title: "Wait",
    description: "Answers once the test lets it.",
    input: z.object({}),
    output: z.object({ waited: z.boolean() }),
    annotations: { readOnlyHint: true },
    async run(ctx) {
      waiting += 1;
      try {
        await Promise.race([
          opened,
          new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true })),
        ]);
        return { waited: true };
      } finally {
        waiting -= 1;
      }
    },
  });
  return {
    tools: [...builtinTools, wait],
    /** Calls of `wait` running now. */
    get waiting() {
      return waiting;
    },
    /** Lets every waiting call answer, and closes the gate again behind them. */
    release() {
      open();
      opened = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
  };
}

export const waitCall = (id: number | string) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "wait", arguments: {} },
});
