import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AnyTool } from "./define.js";

/**
 * The tools a server offers, with their MCP descriptors computed once rather than per `tools/list`:
 * on the first, so that a process answers `initialize` without converting every schema first.
 */
export interface ToolRegistry {
  get(name: string): AnyTool | undefined;
  /** Descriptors for `tools/list`, in registration order. */
  descriptors(): Tool[];
  all(): readonly AnyTool[];
}

export function createToolRegistry(tools: readonly AnyTool[]): ToolRegistry {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  if (byName.size !== tools.length) throw new Error("Two tools share a name");
  let descriptors: Tool[] | undefined;
  return {
    get: (name) => byName.get(name),
    descriptors: () => {
      descriptors ??= tools.map(describeTool);
      return descriptors;
    },
    all: () => tools,
  };
}

function describeTool(tool: AnyTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, "input"),
    outputSchema: jsonSchema(tool.output, "output"),
    annotations: { title: tool.title, ...tool.annotations },
  };
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Tool["inputSchema"] {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  // zod emits JSON Schema 2020-12, the MCP default dialect; the SDK type is merely narrower.
  return { ...rest, type: "object" } as Tool["inputSchema"];
}
