import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../../context.js";
import { inScope } from "../../keys/scope.js";
import type { Principal } from "../../mcp/principal.js";
import type { AnyTool } from "../define.js";

/** Whether the principal may see and call the tool now: enabled, and inside its scope. */
export function mayUse(ctx: Pick<AppContext, "toolSettings">, principal: Principal, tool: AnyTool): boolean {
  return ctx.toolSettings.get(tool.name).enabled && inScope(principal.scope, tool);
}

/** The `tools/list` a principal gets: enabled tools in its scope, description overrides applied. */
export function visibleTools(ctx: Pick<AppContext, "tools" | "toolSettings">, principal: Principal): Tool[] {
  const tools = ctx.tools.all();
  return ctx.tools
    .descriptors()
    .filter((_, i) => {
      const tool = tools[i];
      return tool !== undefined && mayUse(ctx, principal, tool);
    })
    .map((descriptor) => {
      const override = ctx.toolSettings.get(descriptor.name).descriptionOverride;
      return override === null ? descriptor : { ...descriptor, description: override };
    });
}

/** A tool list as a comparable string: which tools show, and everything clients see of each. */
export const listSignature = (tools: readonly Tool[]): string => JSON.stringify(tools);
