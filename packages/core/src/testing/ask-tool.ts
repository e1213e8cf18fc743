import { z } from "zod";
import { defineTool } from "../tools/define.js";

const yesNo = {
  type: "object" as const,
  properties: { sure: { type: "boolean" as const, description: "Go ahead?" } },
  required: ["sure"],
};
const why = {
  type: "object" as const,
  properties: { reason: { type: "string" as const } },
  required: ["reason"],
};

/**
 * A tool for tests of asking the client: asks the user to confirm, and only then, in a second
 * round, why; answers with what it was told. `runs` counts how often its code ran (each 2026-07-28
 * round runs it again from the start).
 */
export function createAskTool() {
  let runs = 0;
  const tool = defineTool({
    name: "confirm",
    title: "Confirm",
    description: "Asks the user to confirm `action`, then why.",
    input: z.object({ action: z.string().max(100) }).strict(),
    output: z.object({ action: z.string(), confirmed: z.boolean(), reason: z.string().optional() }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(ctx, { action }) {
      runs += 1;
      const { confirm } = await ctx.ask({
        confirm: {
          method: "elicitation/create",
          params: { mode: "form", message: `${action}?`, requestedSchema: yesNo },
        },
      });
      const answer = confirm as { action: string; content?: { sure?: boolean } };
      if (answer.action !== "accept" || answer.content?.sure !== true) return { action, confirmed: false };
      const { reason } = await ctx.ask({
        reason: {
          method: "elicitation/create",
          params: { mode: "form", message: "Why?", requestedSchema: why },
        },
      });
      const given = (reason as { content?: { reason?: string } }).content?.reason;
      return { action, confirmed: true, ...(given !== undefined && { reason: given }) };
    },
  });
  return { tool, runs: () => runs };
}
