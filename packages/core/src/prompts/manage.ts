import { and, desc, eq, max } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import type { Db } from "../db/client.js";
import { prompts, promptVersions } from "../db/schema.js";
import { AppError } from "../errors.js";
import { PromptDefinition, promptName } from "./definition.js";
import { PROMPTS_CHANGED_CHANNEL } from "./library.js";

type ManageContext = Pick<AppContext, "db" | "bus" | "prompts">;

/** A prompt as the admin lists it: its settings and its current version's definition. */
export interface PromptEntry {
  name: string;
  enabled: boolean;
  currentVersion: number;
  updatedAt: Date;
  updatedBy: string;
  definition: PromptDefinition;
}

export interface PromptVersion {
  version: number;
  definition: PromptDefinition;
  createdAt: Date;
  createdBy: string;
}

/** Every prompt of the library, enabled or not, by name; or only the one named `only`. */
export async function listPromptEntries(ctx: Pick<AppContext, "db">, only?: string): Promise<PromptEntry[]> {
  const rows = await ctx.db.db
    .select({
      name: prompts.name,
      enabled: prompts.enabled,
      currentVersion: prompts.currentVersion,
      updatedAt: prompts.updatedAt,
      updatedBy: prompts.updatedBy,
      definition: promptVersions.definition,
    })
    .from(prompts)
    .innerJoin(
      promptVersions,
      and(eq(promptVersions.name, prompts.name), eq(promptVersions.version, prompts.currentVersion)),
    )
    .where(only === undefined ? undefined : eq(prompts.name, only))
    .orderBy(prompts.name);
  return rows.map((row) => ({ ...row, definition: row.definition as PromptDefinition }));
}

/** A prompt's versions, newest first; NOT_FOUND for a name the library does not have. */
export async function promptHistory(ctx: Pick<AppContext, "db">, name: string): Promise<PromptVersion[]> {
  const rows = await ctx.db.db
    .select()
    .from(promptVersions)
    .where(eq(promptVersions.name, name))
    .orderBy(desc(promptVersions.version));
  if (rows.length === 0) throw notFound(name);
  return rows.map(({ version, definition, createdAt, createdBy }) => ({
    version,
    definition: definition as PromptDefinition,
    createdAt,
    createdBy,
  }));
}

/**
 * Saves `definition` as the prompt's next version (its first makes the prompt, enabled), records
 * who did it, and tells every process. Errors name the field.
 */
export async function savePrompt(
  ctx: ManageContext,
  actor: string,
  name: string,
  definition: unknown,
): Promise<PromptEntry> {
  const checkedName = promptName.safeParse(name);
  if (!checkedName.success)
    throw new AppError("INVALID", `name: ${checkedName.error.issues[0]?.message}`, {
      details: { field: "name" },
    });
  const parsed = PromptDefinition.safeParse(definition);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const field = issue?.path.join(".") || "definition";
    throw new AppError("INVALID", `${field}: ${issue?.message ?? "is invalid"}`, { details: { field } });
  }
  return changed(ctx, name, (tx) => addVersion(tx, actor, name, parsed.data, "prompt.save"));
}

/** Makes a new version of the prompt from an earlier one: history is never rewritten. */
export async function rollbackPrompt(
  ctx: ManageContext,
  actor: string,
  name: string,
  version: number,
): Promise<PromptEntry> {
  return changed(ctx, name, async (tx) => {
    const [earlier] = await tx
      .select()
      .from(promptVersions)
      .where(and(eq(promptVersions.name, name), eq(promptVersions.version, version)));
    if (!earlier) throw new AppError("NOT_FOUND", `Prompt ${name} has no version ${version}`);
    await addVersion(tx, actor, name, earlier.definition as PromptDefinition, "prompt.rollback", version);
  });
}

/** Serves the prompt to clients, or stops serving it; its versions stay. */
export async function setPromptEnabled(
  ctx: ManageContext,
  actor: string,
  name: string,
  enabled: boolean,
): Promise<PromptEntry> {
  return changed(ctx, name, async (tx) => {
    const [row] = await tx
      .update(prompts)
      .set({ enabled, updatedAt: new Date(), updatedBy: actor })
      .where(eq(prompts.name, name))
      .returning({ name: prompts.name });
    if (!row) throw notFound(name);
    await recordAdminAction(tx, {
      actor,
      action: enabled ? "prompt.enable" : "prompt.disable",
      targetType: "prompt",
      targetId: name,
    });
  });
}

async function addVersion(
  tx: Db,
  actor: string,
  name: string,
  definition: PromptDefinition,
  action: string,
  from?: number,
): Promise<void> {
  // The prompt's row first, locked: two saves at once take the next two version numbers in turn.
  await tx.insert(prompts).values({ name, currentVersion: 0, updatedBy: actor }).onConflictDoNothing();
  await tx.select({ name: prompts.name }).from(prompts).where(eq(prompts.name, name)).for("update");
  const [{ latest } = { latest: 0 }] = await tx
    .select({ latest: max(promptVersions.version) })
    .from(promptVersions)
    .where(eq(promptVersions.name, name));
  const version = (latest ?? 0) + 1;
  await tx.insert(promptVersions).values({ name, version, definition, createdBy: actor });
  await tx
    .update(prompts)
    .set({ currentVersion: version, updatedAt: new Date(), updatedBy: actor })
    .where(eq(prompts.name, name));
  await recordAdminAction(tx, {
    actor,
    action,
    targetType: "prompt",
    targetId: name,
    after: { version, ...(from !== undefined && { from }), definition },
  });
}

async function changed(
  ctx: ManageContext,
  name: string,
  change: (tx: Db) => Promise<void>,
): Promise<PromptEntry> {
  await ctx.db.db.transaction(change);
  // Only once committed: the other processes read the library again when told.
  await ctx.prompts.reload();
  await ctx.bus.publish(PROMPTS_CHANGED_CHANNEL, name);
  const [entry] = await listPromptEntries(ctx, name);
  if (!entry) throw notFound(name);
  return entry;
}

const notFound = (name: string) =>
  new AppError("NOT_FOUND", `No prompt named ${JSON.stringify(name.slice(0, 100))}`);
