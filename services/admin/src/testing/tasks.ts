import { type AppContext, defineTool, localPrincipal } from "@mcp-tools/core";
import { z } from "zod";

/** A task of this process, running a tool that works until it is cancelled. */
export interface RunningTask {
  id: string;
  /** Settles with the abort's reason once the tool has been told to stop. */
  stopped: Promise<unknown>;
}

/** Starts a long job as a real task of this process, as a client's call would. */
export async function startRunningTask(ctx: AppContext): Promise<RunningTask> {
  let stop: (reason: unknown) => void = () => {};
  const stopped = new Promise<unknown>((resolve) => {
    stop = resolve;
  });
  const tool = defineTool({
    name: "until_cancelled",
    title: "Until cancelled",
    description: "Works until its call is cancelled.",
    input: z.object({}).strict(),
    output: z.object({ message: z.string() }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    task: "required",
    run: ({ signal }) =>
      new Promise((_, reject) =>
        signal.addEventListener(
          "abort",
          () => {
            stop(signal.reason);
            reject(signal.reason);
          },
          { once: true },
        ),
      ),
  });
  const task = await ctx.tasks.start({
    tool,
    version: undefined,
    input: {},
    args: {},
    meta: { principal: localPrincipal, transport: "in-memory", signal: new AbortController().signal },
  });
  return { id: task.id, stopped };
}
