import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { toolSettings } from "../../db/schema.js";
import { settingOf, type ToolSetting } from "./cache.js";

/** What moving a tool's settings to its new name did, for the admin audit. */
export interface SettingsRename {
  /** The settings that moved with the tool, or null when it had the defaults. */
  moved: ToolSetting | null;
  /** Settings found under the new name, which belonged to an earlier tool of that name, or null. */
  replaced: ToolSetting | null;
}

/**
 * Moves a tool's settings from its old name to its new one, inside the caller's transaction (the
 * approval of a renamed version), so a disabled, overridden or limited tool stays so. Settings are
 * keyed by name, so a row already under the new name was left by another tool: it gives way.
 */
export async function renameToolSettings(tx: Db, from: string, to: string): Promise<SettingsRename> {
  const [replaced] = await tx.delete(toolSettings).where(eq(toolSettings.tool, to)).returning();
  const [moved] = await tx
    .update(toolSettings)
    .set({ tool: to })
    .where(eq(toolSettings.tool, from))
    .returning();
  return { moved: moved ? settingOf(moved) : null, replaced: replaced ? settingOf(replaced) : null };
}
