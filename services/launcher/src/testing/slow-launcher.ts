// The launcher with one extra tool, `slow`, that takes as long as it is asked to: lets tests
// hold calls in flight across a SIGTERM. Everything else is the production code path.
import { builtinTools, defineTool } from "@mcp-tools/core";
import { z } from "zod";
import { parseLauncherArgs } from "../args.js";
import { launch } from "../launch.js";

const slow = defineTool({
  name: "slow",
  title: "Slow",
  description: "Waits `ms` milliseconds, then answers",
  input: z.object({ ms: z.number().int().min(0).max(60_000), tag: z.string() }),
  output: z.object({ tag: z.string() }),
  annotations: { readOnlyHint: true },
  run: (ctx, { ms, tag }) =>
    new Promise((resolve, reject) => {
      // Tests wait for this line to know the call is in flight.
      ctx.log.info({ tag }, "slow call started");
      const timer = setTimeout(() => resolve({ tag }), ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    }),
});

const args = parseLauncherArgs(process.argv.slice(2));
if (args !== "help") await launch(args, { context: { tools: [...builtinTools, slow] } });
