import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { recordAdminAction } from "../../audit/admin.js";
import type { AppContext } from "../../context.js";
import type { Db } from "../../db/client.js";
import { toolVersions } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { TOOLS_CHANGED_CHANNEL } from "../settings/cache.js";
import { renameToolSettings } from "../settings/rename.js";
import { versionHash } from "./hash.js";

export type ToolVersion = typeof toolVersions.$inferSelect;
type CatalogContext = Pick<AppContext, "db" | "bus">;

const SYSTEM = "system";

/**
 * Records the built-in tools' definitions as this build has them. On a database that has never
 * seen a tool, each is approved as it is; later, a definition the code changed becomes a pending
 * version, which clients do not see until an admin approves it — unless the operator pre-approves
 * built-in changes (TOOLS_APPROVE_BUILTIN=true, for deployments that review code instead).
 */
export async function syncBuiltinVersions(
  ctx: CatalogContext,
  descriptors: readonly Tool[],
  { preapprove }: { preapprove: boolean },
): Promise<void> {
  let changed = false;
  for (const descriptor of descriptors) {
    const toolId = `builtin:${descriptor.name}`;
    const hash = versionHash(descriptor);
    changed =
      (await ctx.db.db.transaction(async (tx) => {
        // Replicas starting together on a new database sync at once: without this lock each sees
        // no version, and the later one supersedes the earlier one's approval of the same hash.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${toolId}))`);
        const known = await tx
          .select()
          .from(toolVersions)
          .where(eq(toolVersions.toolId, toolId))
          .for("update");
        if (known.some((version) => version.hash === hash)) return false;
        const approve = preapprove || known.length === 0;
        if (approve) await supersede(tx, toolId);
        await tx
          .insert(toolVersions)
          .values({
            toolId,
            kind: "builtin",
            name: descriptor.name,
            hash,
            definition: descriptor,
            status: approve ? "approved" : "pending",
            createdBy: SYSTEM,
            ...(approve && { decidedAt: new Date(), decidedBy: SYSTEM }),
          })
          .onConflictDoNothing();
        return true;
      })) || changed;
  }
  if (changed) await ctx.bus.publish(TOOLS_CHANGED_CHANNEL, "versions");
}

/**
 * Approves a pending version (the tool's approved one before it is superseded, and every process
 * serves the new one within a second) or rejects it. Recorded with who decided. A version that
 * renames its tool takes the tool's settings along to the new name (see `renameToolSettings`).
 */
export async function decideToolVersion(
  ctx: Pick<AppContext, "db" | "bus" | "toolSettings">,
  id: string,
  decision: "approve" | "reject",
  actor: string,
): Promise<ToolVersion> {
  const { decided, renamed } = await ctx.db.db.transaction(async (tx) => {
    const [version] = await tx.select().from(toolVersions).where(eq(toolVersions.id, id)).for("update");
    if (!version) throw new AppError("NOT_FOUND", `No tool version ${id.slice(0, 64)}`);
    if (version.status !== "pending")
      throw new AppError("CONFLICT", `That version is ${version.status}, not pending`);
    const [previous] = decision === "approve" ? await supersede(tx, version.toolId) : [];
    const from = previous && previous.name !== version.name ? previous.name : undefined;
    const settings = from === undefined ? undefined : await renameToolSettings(tx, from, version.name);
    const [row] = await tx
      .update(toolVersions)
      .set({
        status: decision === "approve" ? "approved" : "rejected",
        decidedAt: new Date(),
        decidedBy: actor,
      })
      .where(eq(toolVersions.id, id))
      .returning();
    await recordAdminAction(tx, {
      actor,
      action: `tool_version.${decision}`,
      targetType: "tool_version",
      targetId: id,
      // What was under the new name before, when the rename replaced it.
      ...(settings?.replaced && { before: { name: version.name, settings: settings.replaced } }),
      after: {
        toolId: version.toolId,
        name: version.name,
        hash: version.hash,
        ...(settings && { renamedFrom: from, settings: settings.moved }),
      },
    });
    return { decided: row ?? version, renamed: settings !== undefined };
  });
  if (decision === "approve") {
    // Only once committed: this process's settings at once, as `updateToolSettings` does, and
    // every process's settings and catalog over the bus (both reload on tools:changed).
    if (renamed) await ctx.toolSettings.reload();
    await ctx.bus.publish(TOOLS_CHANGED_CHANNEL, "versions");
  }
  return decided;
}

/** Versions, a tool's (newest first) or every pending one. */
export async function listToolVersions(
  ctx: Pick<AppContext, "db">,
  filter: { toolId: string } | { status: ToolVersion["status"] },
): Promise<ToolVersion[]> {
  const where =
    "toolId" in filter ? eq(toolVersions.toolId, filter.toolId) : eq(toolVersions.status, filter.status);
  return ctx.db.db.select().from(toolVersions).where(where).orderBy(desc(toolVersions.createdAt));
}

/** Every approved and superseded version: what clients are served, and what keys may be pinned to. */
export async function servedVersions(db: Db): Promise<ToolVersion[]> {
  return db
    .select()
    .from(toolVersions)
    .where(inArray(toolVersions.status, ["approved", "superseded"]))
    .orderBy(asc(toolVersions.name), desc(toolVersions.createdAt));
}

/**
 * What `servedVersions` would read, as one short value that changes whenever it would: a digest of
 * the ids and statuses of every approved and superseded version (a version's definition and hash
 * never change after it is stored).
 */
export async function servedSignature(db: Db): Promise<string> {
  const [row] = await db
    .select({
      signature: sql<string>`coalesce(md5(string_agg(${toolVersions.id}::text || ':' || ${toolVersions.status}, ',' order by ${toolVersions.id})), '')`,
    })
    .from(toolVersions)
    .where(inArray(toolVersions.status, ["approved", "superseded"]));
  return row?.signature ?? "";
}

/** Marks the tool's approved version superseded, inside the caller's transaction; returns it. */
export async function supersede(tx: Db, toolId: string): Promise<Pick<ToolVersion, "name" | "hash">[]> {
  return tx
    .update(toolVersions)
    .set({ status: "superseded" })
    .where(and(eq(toolVersions.toolId, toolId), eq(toolVersions.status, "approved")))
    .returning({ name: toolVersions.name, hash: toolVersions.hash });
}
