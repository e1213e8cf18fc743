import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../../context.js";
import { inScope } from "../../keys/scope.js";
import type { Principal } from "../../mcp/principal.js";
import type { AnyTool } from "../define.js";
import type { ServedTool } from "../registry.js";

/** Whether the principal may see and call the tool now: enabled, and inside its scope. */
export function mayUse(ctx: Pick<AppContext, "toolSettings">, principal: Principal, tool: AnyTool): boolean {
  return ctx.toolSettings.get(tool.name).enabled && inScope(principal.scope, tool);
}

/**
 * The `tools/list` a principal gets: enabled tools in its scope, as the version it is pinned to
 * (a key's pins) or the approved one, description overrides applied.
 */
export function visibleTools(ctx: Pick<AppContext, "tools" | "toolSettings">, principal: Principal): Tool[] {
  const tools = ctx.tools.all();
  return ctx.tools
    .descriptors()
    .filter((_, i) => {
      const tool = tools[i];
      return tool !== undefined && mayUse(ctx, principal, tool);
    })
    .map((served) => {
      const descriptor = pinnedFor(ctx, principal, served.name)?.descriptor ?? served;
      const override = ctx.toolSettings.get(descriptor.name).descriptionOverride;
      return override === null ? descriptor : { ...descriptor, description: override };
    });
}

/**
 * The version a principal is pinned to, when it is not the one served to everyone. Pins follow a
 * name that is served: once a tool is renamed, a pin to a version under its old name no longer
 * applies, as the old name is not listed, and its calls would escape the settings (disabled, rate
 * limit) kept under the new one.
 */
export function pinnedFor(
  ctx: Pick<AppContext, "tools">,
  principal: Principal,
  name: string,
): ServedTool | undefined {
  const pin = principal.pins?.[name];
  const served = ctx.tools.versionOf(name);
  if (pin === undefined || served === undefined || pin === served) return undefined;
  return ctx.tools.pinned(name, pin);
}

/** A tool list as a comparable string: which tools show, and everything clients see of each. */
export const listSignature = (tools: readonly Tool[]): string => JSON.stringify(tools);
