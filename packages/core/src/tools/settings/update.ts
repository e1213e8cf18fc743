import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordAdminAction } from "../../audit/admin.js";
import type { AppContext } from "../../context.js";
import { toolSettings } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { storable } from "../../text/well-formed.js";
import { defaultToolSetting, settingOf, TOOLS_CHANGED_CHANNEL, type ToolSetting } from "./cache.js";

/** The highest rate limit a key or a tool may have: the column is a 32-bit integer, and beyond this "no limit" is what is meant. */
export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;

/** A change to a tool's settings; absent fields keep their value, null clears an override or limit. */
export const ToolSettingsPatch = z
  .object({
    enabled: z.boolean(),
    descriptionOverride: storable(z.string().trim().min(1).max(10_000)).nullable(),
    rateLimitPerMinute: z.number().int().positive().max(MAX_RATE_LIMIT_PER_MINUTE).nullable(),
  })
  .partial()
  .strict();
export type ToolSettingsPatch = z.infer<typeof ToolSettingsPatch>;

/**
 * Changes a tool's settings, records who did it with the state before and after, and tells every
 * process (this one at once, the others over the bus) so their clients see the change.
 */
export async function updateToolSettings(
  ctx: Pick<AppContext, "db" | "bus" | "tools" | "toolSettings">,
  tool: string,
  patch: ToolSettingsPatch,
  actor: string,
): Promise<ToolSetting> {
  if (!ctx.tools.get(tool)) throw new AppError("NOT_FOUND", `No tool named ${tool}`);
  const parsed = ToolSettingsPatch.safeParse(patch);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const field = issue?.path.join(".") || "settings";
    throw new AppError("INVALID", `${field}: ${issue?.message ?? "is invalid"}`, { details: { field } });
  }
  const after = await ctx.db.db.transaction(async (tx) => {
    // Locked, so two changes at once each record the state the other left.
    const [row] = await tx.select().from(toolSettings).where(eq(toolSettings.tool, tool)).for("update");
    const before: ToolSetting = row ? settingOf(row) : defaultToolSetting;
    const changed: ToolSetting = { ...before, ...parsed.data };
    const stamp = { updatedBy: actor, updatedAt: new Date() };
    await tx
      .insert(toolSettings)
      .values({ tool, ...changed, ...stamp })
      .onConflictDoUpdate({ target: toolSettings.tool, set: { ...changed, ...stamp } });
    await recordAdminAction(tx, {
      actor,
      action: "tool.update",
      targetType: "tool",
      targetId: tool,
      before,
      after: changed,
    });
    return changed;
  });
  // Only once committed: the other processes reload from the table when told.
  await ctx.toolSettings.reload();
  await ctx.bus.publish(TOOLS_CHANGED_CHANNEL, tool);
  return after;
}
