import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/** Which tools a key may see and call: all of them, an allow-list, or those annotated read-only. */
export const KeyScope = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("tools"), tools: z.array(z.string().min(1)).min(1) }),
  z.object({ kind: z.literal("read-only") }),
]);
export type KeyScope = z.infer<typeof KeyScope>;

export const allToolsScope: KeyScope = { kind: "all" };

/** Whether a tool is inside the scope. Read-only trusts only an explicit `readOnlyHint: true`. */
export function inScope(scope: KeyScope, tool: { name: string; annotations: ToolAnnotations }): boolean {
  if (scope.kind === "all") return true;
  if (scope.kind === "tools") return scope.tools.includes(tool.name);
  return tool.annotations.readOnlyHint === true;
}

/** `all`, `read-only` or `tools:a,b`, as the CLI takes it. */
export function parseScope(text: string): KeyScope {
  if (text === "all" || text === "read-only") return { kind: text };
  if (text.startsWith("tools:")) {
    const tools = text
      .slice("tools:".length)
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean);
    return KeyScope.parse({ kind: "tools", tools });
  }
  throw new Error(`Unknown scope ${JSON.stringify(text)}: use all, read-only or tools:a,b`);
}
