import { z } from "zod";
import { AppError } from "../../errors.js";
import { describeTool, type ServedTool } from "../registry.js";
import { canonical } from "./hash.js";

/**
 * A built-in tool as a key pinned to an earlier version of it gets it. A built-in has one
 * implementation, this build's code, so a pinned version runs only while its input and output
 * schemas are the code's (validating with the code's schema is then validating with the one the
 * client was shown); otherwise each call is refused, recoverably, until an admin re-pins the key.
 */
export function pinnedBuiltin(served: ServedTool): ServedTool {
  const code = describeTool(served.tool);
  const shown = served.descriptor;
  if (
    canonical(shown.inputSchema) === canonical(code.inputSchema) &&
    canonical(shown.outputSchema) === canonical(code.outputSchema)
  )
    return served;
  const { name } = served.tool;
  const message = `The pinned version ${served.version.slice(0, 12)} of the built-in tool ${name} can no longer run on this build: its input or output schema has changed since. An admin must pin this key to a current version of ${name}.`;
  return {
    ...served,
    tool: {
      ...served.tool,
      // Whatever the arguments: the code cannot honour the schema the client was shown.
      input: z.looseObject({}),
      async run() {
        throw new AppError("CONFLICT", message);
      },
    },
  };
}
