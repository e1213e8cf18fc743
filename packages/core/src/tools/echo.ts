import { z } from "zod";
import { defineTool } from "./define.js";

/** Returns its text unchanged: for diagnostics, client checks and benchmarks. */
export const echo = defineTool({
  name: "echo",
  title: "Echo",
  description: "Returns the given text unchanged. Useful to check that a client is connected.",
  input: z.object({ text: z.string().describe("The text to send back") }).strict(),
  output: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(_ctx, { text }) {
    return { text };
  },
  text: ({ text }) => text,
});
