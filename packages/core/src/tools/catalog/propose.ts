import { randomUUID } from "node:crypto";
import { and, eq, inArray, ne } from "drizzle-orm";
import { recordAdminAction } from "../../audit/admin.js";
import type { AppContext } from "../../context.js";
import { toolVersions } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { checkHttpTool } from "../http/definition.js";
import { versionHash } from "./hash.js";
import type { ToolVersion } from "./versions.js";

/**
 * Proposes a definition for an HTTP tool (a new one without `toolId`): checked as saved, it
 * becomes a pending version, replacing (rejecting) any earlier pending one of the tool. The same definition
 * as a version the tool already has proposes nothing and returns that version.
 */
export async function proposeHttpTool(
  ctx: Pick<AppContext, "db">,
  raw: unknown,
  actor: string,
  toolId: string = randomUUID(),
): Promise<ToolVersion> {
  const definition = checkHttpTool(raw);
  const hash = versionHash(definition);
  return ctx.db.db.transaction(async (tx) => {
    const known = await tx.select().from(toolVersions).where(eq(toolVersions.toolId, toolId)).for("update");
    if (known.some((version) => version.kind !== "http"))
      throw new AppError("CONFLICT", "Built-in tools change with the code, not here");
    const same = known.find((version) => version.hash === hash && version.status !== "rejected");
    if (same) return same;
    const clash = await tx
      .select({ toolId: toolVersions.toolId })
      .from(toolVersions)
      .where(
        and(
          eq(toolVersions.name, definition.name),
          ne(toolVersions.toolId, toolId),
          inArray(toolVersions.status, ["pending", "approved"]),
        ),
      )
      .limit(1);
    if (clash.length > 0) throw new AppError("CONFLICT", `Another tool is named ${definition.name}`);
    await tx
      .update(toolVersions)
      // Replaced before anyone approved it: never served, never pinnable.
      .set({ status: "rejected", decidedAt: new Date(), decidedBy: actor })
      .where(and(eq(toolVersions.toolId, toolId), eq(toolVersions.status, "pending")));
    const [version] = await tx
      .insert(toolVersions)
      .values({
        toolId,
        kind: "http",
        name: definition.name,
        hash,
        definition,
        status: "pending",
        createdBy: actor,
      })
      .returning();
    if (!version) throw new AppError("INTERNAL", "The version was not stored");
    await recordAdminAction(tx, {
      actor,
      action: "tool_version.propose",
      targetType: "tool_version",
      targetId: version.id,
      after: { toolId, name: definition.name, hash },
    });
    return version;
  });
}
