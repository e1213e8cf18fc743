import { type AppContext, listToolSettings, type ToolCallStats, toolCallStats } from "@mcp-tools/core";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

/** The window the tools page and `GET /api/tools` report calls over. */
export const STATS_WINDOW_MS = 60 * 60_000;

const noCalls: ToolCallStats = { calls: 0, errorRate: 0, p95Ms: null };

/** A tool as MCP clients see it, plus what people changed and how it fared in the last hour. */
export type ToolOverview = Tool & {
  settings: {
    enabled: boolean;
    descriptionOverride: string | null;
    rateLimitPerMinute: number | null;
    updatedAt: Date | null;
    updatedBy: string | null;
  };
  stats: ToolCallStats;
};

/** Every registered tool, in registration order: descriptor, settings and last-hour stats. */
export async function toolsOverview(ctx: AppContext, now = new Date()): Promise<ToolOverview[]> {
  const [settings, stats] = await Promise.all([
    listToolSettings(ctx),
    toolCallStats(ctx.db.db, new Date(now.getTime() - STATS_WINDOW_MS)),
  ]);
  const byName = new Map(settings.map((setting) => [setting.name, setting]));
  return ctx.tools.descriptors().map((descriptor) => {
    const setting = byName.get(descriptor.name);
    return {
      ...descriptor,
      settings: {
        enabled: setting?.enabled ?? true,
        descriptionOverride: setting?.descriptionOverride ?? null,
        rateLimitPerMinute: setting?.rateLimitPerMinute ?? null,
        updatedAt: setting?.updatedAt ?? null,
        updatedBy: setting?.updatedBy ?? null,
      },
      stats: stats.get(descriptor.name) ?? noCalls,
    };
  });
}
