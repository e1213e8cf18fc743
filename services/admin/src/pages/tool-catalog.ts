import type { AppContext } from "@mcp-tools/core";
import { listToolVersions, type ToolVersion } from "@mcp-tools/core/catalog";
import { type ToolOverview, toolsOverview } from "../api/tools-overview.js";

/** One tool as the tools pages list it: what clients are served, and what waits for approval. */
export interface CatalogEntry {
  toolId: string;
  kind: "builtin" | "http";
  /** The name clients know it by: the approved version's, or the pending one's for a new tool. */
  name: string;
  description: string;
  /** Served to clients (an approved version), with its settings and last-hour stats. */
  served: ToolOverview | undefined;
  approved: ToolVersion | undefined;
  pending: ToolVersion | undefined;
}

export interface CatalogFilter {
  /** Words that must all appear in the name, title or description (any case). */
  q?: string | undefined;
  kind?: "builtin" | "http" | undefined;
  state?: "enabled" | "disabled" | undefined;
  /** Only tools with a version waiting for approval. */
  pending?: boolean | undefined;
}

/** Every tool, served or pending: built-ins first in the code's order, then HTTP tools by name. */
export async function toolCatalog(ctx: AppContext): Promise<CatalogEntry[]> {
  const [served, approved, pending] = await Promise.all([
    toolsOverview(ctx),
    listToolVersions(ctx, { status: "approved" }),
    listToolVersions(ctx, { status: "pending" }),
  ]);
  const byTool = new Map<string, CatalogEntry>();
  const entry = (version: ToolVersion): CatalogEntry => {
    const known = byTool.get(version.toolId);
    if (known) return known;
    const made: CatalogEntry = {
      toolId: version.toolId,
      kind: version.kind,
      name: version.name,
      description: definitionOf(version).description ?? "",
      served: undefined,
      approved: undefined,
      pending: undefined,
    };
    byTool.set(version.toolId, made);
    return made;
  };
  for (const version of approved) Object.assign(entry(version), { approved: version });
  for (const version of pending) entry(version).pending ??= version;
  const servedByName = new Map(served.map((tool) => [tool.name, tool]));
  for (const tool of byTool.values()) {
    tool.served = tool.approved && servedByName.get(tool.approved.name);
    if (tool.served) servedByName.delete(tool.name);
  }
  // A tool served without a recorded version: a process whose catalog has not started yet.
  for (const tool of servedByName.values())
    byTool.set(`builtin:${tool.name}`, {
      toolId: `builtin:${tool.name}`,
      kind: "builtin",
      name: tool.name,
      description: tool.description ?? "",
      served: tool,
      approved: undefined,
      pending: undefined,
    });
  const order = new Map(served.map((tool, index) => [tool.name, index]));
  const rank = (tool: CatalogEntry) =>
    tool.kind === "builtin" ? (order.get(tool.name) ?? -1) - served.length : 0;
  return [...byTool.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The entries a filter keeps. */
export function filterCatalog(entries: readonly CatalogEntry[], filter: CatalogFilter): CatalogEntry[] {
  const words = (filter.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((tool) => {
    if (filter.kind && tool.kind !== filter.kind) return false;
    if (filter.pending && !tool.pending) return false;
    if (filter.state && stateOf(tool) !== filter.state) return false;
    const text = `${tool.name} ${titleOf(tool)} ${tool.description}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** enabled, disabled, or not yet served (a new tool awaiting its first approval). */
export function stateOf(tool: CatalogEntry): "enabled" | "disabled" | "not served" {
  if (!tool.served) return "not served";
  return tool.served.settings.enabled ? "enabled" : "disabled";
}

export function titleOf(tool: CatalogEntry): string {
  return tool.served?.title ?? definitionOf(tool.pending ?? tool.approved).title ?? "";
}

/** The client-visible fields every version's definition has (built-in or HTTP). */
export function definitionOf(version: ToolVersion | undefined): { title?: string; description?: string } {
  return (version?.definition ?? {}) as { title?: string; description?: string };
}
