import { z } from "zod";
import { defineTool } from "../tools/define.js";

/**
 * A tool for tests of what a call sends its client before its result: reports `steps` steps of
 * `steps`, each after the client could have read the one before (a macrotask apart), then one that
 * must be dropped (not growing); logs each step at `info` (and at `debug`, for the level filter).
 */
export const countTool = defineTool({
  name: "count",
  title: "Count",
  description: "Counts to `steps`, reporting each step as progress.",
  input: z.object({ steps: z.number().int().min(1).max(10) }).strict(),
  output: z.object({ counted: z.number() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(ctx, { steps }) {
    for (let step = 1; step <= steps; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      ctx.clientLog("debug", { step, detail: "below info" });
      ctx.clientLog("info", { step }, "count");
      ctx.progress(step, steps, `step ${step} of ${steps}`);
    }
    ctx.progress(steps, steps, "the same step again, dropped");
    return { counted: steps };
  },
});
