import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { versionHash } from "./catalog/hash.js";
import type { AnyTool } from "./define.js";

/** A tool as served: what runs, what clients are shown, and the version that is. */
export interface ServedTool {
  tool: AnyTool;
  descriptor: Tool;
  /** The hash of the tool version (see tools/catalog); what audit rows record. */
  version: string;
}

/**
 * The tools this process serves. It starts with the code's built-in tools, their descriptors made
 * on the first `tools/list` (a process answers `initialize` without converting every schema), and
 * serves the catalog's approved versions once it has loaded them (see tools/catalog/live.ts).
 */
export interface ToolRegistry {
  get(name: string): AnyTool | undefined;
  /** Descriptors for `tools/list`, in the order of `all()`. */
  descriptors(): Tool[];
  all(): readonly AnyTool[];
  /** The version of a served tool, or undefined for one that is not served. */
  versionOf(name: string): string | undefined;
  /**
   * An earlier (or the current) approved version of a tool, for a key pinned to it; a built-in's
   * version whose schemas this build's code no longer has refuses its calls (see catalog/pinned.ts).
   */
  pinned(name: string, version: string): ServedTool | undefined;
  /** Serves these tools from now on (and, to pinned keys, `earlier` ones), and tells the listeners. */
  serve(
    tools: readonly ServedTool[],
    earlier?: (name: string, version: string) => ServedTool | undefined,
  ): void;
  /** Called after `serve`; returns the function that removes the listener. */
  onChange(listener: () => void): () => void;
}

export function createToolRegistry(builtins: readonly AnyTool[]): ToolRegistry {
  if (new Set(builtins.map((tool) => tool.name)).size !== builtins.length)
    throw new Error("Two tools share a name");
  let tools = builtins;
  let byName = new Map(tools.map((tool) => [tool.name, tool]));
  let descriptors: Tool[] | undefined;
  let versions: Map<string, string> | undefined;
  let earlierVersion: (name: string, version: string) => ServedTool | undefined = () => undefined;
  const listeners = new Set<() => void>();
  return {
    get: (name) => byName.get(name),
    descriptors: () => {
      descriptors ??= tools.map(describeTool);
      return descriptors;
    },
    all: () => tools,
    versionOf(name) {
      // Before the catalog loads, a built-in's version is its code's definition.
      versions ??= new Map(
        this.descriptors().map((descriptor) => [descriptor.name, versionHash(descriptor)]),
      );
      return versions.get(name);
    },
    pinned: (name, version) => earlierVersion(name, version),
    serve(served, earlier = () => undefined) {
      earlierVersion = earlier;
      tools = served.map((entry) => entry.tool);
      byName = new Map(tools.map((tool) => [tool.name, tool]));
      descriptors = served.map((entry) => entry.descriptor);
      versions = new Map(served.map((entry) => [entry.tool.name, entry.version]));
      for (const listener of [...listeners]) listener();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A tool's MCP descriptor, made from its zod schemas. */
export function describeTool(tool: AnyTool): Tool {
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
  const { $schema, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  // zod writes its own dialect (2020-12, the MCP default) on every schema; only one the tool
  // declares in its meta is kept (SEP-1613), so that no other descriptor, nor its version hash,
  // changes. The SDK type is merely narrower.
  const declared = schema.meta()?.$schema !== undefined;
  return { ...(declared && { $schema }), ...rest, type: "object" } as Tool["inputSchema"];
}
