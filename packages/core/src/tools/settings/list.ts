import type { AppContext } from "../../context.js";
import { toolSettings } from "../../db/schema.js";
import { defaultToolSetting, type ToolSetting } from "./cache.js";

/** A tool as the admin sees it: its own description and annotations beside what people changed. */
export interface ToolSettingsView extends ToolSetting {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** Every registered tool with its settings, read fresh from the database, in registration order. */
export async function listToolSettings(ctx: Pick<AppContext, "db" | "tools">): Promise<ToolSettingsView[]> {
  const rows = await ctx.db.db.select().from(toolSettings);
  const byTool = new Map(rows.map((row) => [row.tool, row]));
  return ctx.tools.all().map((tool) => {
    const row = byTool.get(tool.name);
    return {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      readOnly: tool.annotations.readOnlyHint === true,
      enabled: row?.enabled ?? defaultToolSetting.enabled,
      descriptionOverride: row?.descriptionOverride ?? null,
      rateLimitPerMinute: row?.rateLimitPerMinute ?? null,
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
    };
  });
}
