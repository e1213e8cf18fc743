import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AnyTool } from "../define.js";
import { HttpToolCall, type HttpToolDeps } from "./call.js";
import type { HttpToolDefinition } from "./definition.js";

/** A checked HTTP tool definition as a tool like any other: the call wrapper validates, times, audits. */
export function httpTool(definition: HttpToolDefinition, deps: HttpToolDeps): AnyTool {
  const request = new HttpToolCall(definition, deps);
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    input: objectSchema(definition.inputSchema),
    output: definition.outputSchema ? objectSchema(definition.outputSchema) : z.looseObject({}),
    // It reaches a service outside this server (MCP §Tool annotations), unless its author says not.
    annotations: { openWorldHint: true, ...definition.annotations },
    run: (ctx, input) => request.call(input as Record<string, unknown>, ctx.signal),
  };
}

/** What clients are shown of an HTTP tool: its definition's own schemas, as written. */
export function describeHttpTool(definition: HttpToolDefinition): Tool {
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    inputSchema: definition.inputSchema as Tool["inputSchema"],
    ...(definition.outputSchema && { outputSchema: definition.outputSchema as Tool["outputSchema"] }),
    annotations: { title: definition.title, openWorldHint: true, ...definition.annotations },
  };
}

function objectSchema(schema: Record<string, unknown>): z.ZodObject {
  const converted = z.fromJSONSchema(schema);
  if (!(converted instanceof z.ZodObject)) throw new Error("An HTTP tool's schemas describe objects");
  return converted;
}
