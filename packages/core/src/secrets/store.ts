import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { secrets } from "../db/schema.js";
import { AppError } from "../errors.js";
import { createSecretCipher, type SecretCipher } from "./cipher.js";

/** A secret's name, as `{secret:NAME}` refers to it. */
export const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . and -, at most 64");
/** A secret's value: any text up to 8 KB (tokens, keys, passwords). */
export const SecretValue = z.string().min(1).max(8_192);

/** What anyone may know of a secret: its name and when and by whom it was last set. */
export interface SecretInfo {
  name: string;
  updatedAt: Date;
  updatedBy: string;
}

type SecretsContext = Pick<AppContext, "db" | "config" | "bus">;

/** Published with a secret's name after it is set or deleted: every process drops its cached value. */
export const SECRETS_CHANGED_CHANNEL = "secrets:changed";

/** Sets (or replaces) a secret, recording who did it, and never what it is. */
export async function setSecret(
  ctx: SecretsContext,
  name: string,
  value: string,
  actor: string,
): Promise<SecretInfo> {
  const checkedName = parsed(SecretName, name, "name");
  const sealed = cipherOf(ctx).seal(checkedName, parsed(SecretValue, value, "value"));
  const info = await ctx.db.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ updatedAt: secrets.updatedAt })
      .from(secrets)
      .where(eq(secrets.name, checkedName))
      .for("update");
    const row = { name: checkedName, sealed, updatedAt: new Date(), updatedBy: actor };
    await tx.insert(secrets).values(row).onConflictDoUpdate({ target: secrets.name, set: row });
    await recordAdminAction(tx, {
      actor,
      action: before ? "secret.replace" : "secret.create",
      targetType: "secret",
      targetId: checkedName,
    });
    return { name: checkedName, updatedAt: row.updatedAt, updatedBy: actor };
  });
  await ctx.bus.publish(SECRETS_CHANGED_CHANNEL, checkedName);
  return info;
}

/** Deletes a secret; tools that send it fail, saying it is not set, until it is set again. */
export async function deleteSecret(ctx: SecretsContext, name: string, actor: string): Promise<void> {
  if (!SecretName.safeParse(name).success)
    throw new AppError("NOT_FOUND", `No secret named ${name.slice(0, 64)}`);
  await ctx.db.db.transaction(async (tx) => {
    const deleted = await tx.delete(secrets).where(eq(secrets.name, name)).returning({ name: secrets.name });
    if (deleted.length === 0) throw new AppError("NOT_FOUND", `No secret named ${name.slice(0, 64)}`);
    await recordAdminAction(tx, { actor, action: "secret.delete", targetType: "secret", targetId: name });
  });
  await ctx.bus.publish(SECRETS_CHANGED_CHANNEL, name);
}

/** Every secret's name and stamp, by name; values never leave the table this way. */
export async function listSecrets(ctx: SecretsContext): Promise<SecretInfo[]> {
  return ctx.db.db
    .select({ name: secrets.name, updatedAt: secrets.updatedAt, updatedBy: secrets.updatedBy })
    .from(secrets)
    .orderBy(asc(secrets.name));
}

/** A secret's value, for the tool that sends it; undefined when there is no such secret. */
export async function readSecret(ctx: SecretsContext, name: string): Promise<string | undefined> {
  const [row] = await ctx.db.db
    .select({ sealed: secrets.sealed })
    .from(secrets)
    .where(eq(secrets.name, name));
  return row ? cipherOf(ctx).open(name, row.sealed) : undefined;
}

/** Secrets read once per process and kept, until a change anywhere is announced on the bus. */
export interface SecretReader {
  read(name: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Reads secrets for HTTP tools without a query per call: each value is kept in memory once read
 * (sealed in the table, plain here, as it must be to be sent), and dropped when
 * `SECRETS_CHANGED_CHANNEL` names it, so a rotation reaches every process within a moment.
 */
export async function cachedSecrets(ctx: SecretsContext): Promise<SecretReader> {
  const cache = new Map<string, Promise<string | undefined>>();
  const unsubscribe = await ctx.bus.subscribe(SECRETS_CHANGED_CHANNEL, (name) => {
    cache.delete(name);
  });
  return {
    read(name) {
      let value = cache.get(name);
      if (!value) {
        value = readSecret(ctx, name);
        cache.set(name, value);
        // A failed read (database away) is not kept: the next call tries again.
        value.catch(() => cache.delete(name));
      }
      return value;
    },
    close: unsubscribe,
  };
}

const ciphers = new WeakMap<object, SecretCipher>();

function cipherOf(ctx: SecretsContext): SecretCipher {
  const key = ctx.config.SECRETS_KEY;
  if (!key)
    throw new AppError(
      "CONFLICT",
      "Secrets need SECRETS_KEY set (32 random bytes in base64: openssl rand -base64 32)",
    );
  let cipher = ciphers.get(ctx.config);
  if (!cipher) {
    cipher = createSecretCipher(key);
    ciphers.set(ctx.config, cipher);
  }
  return cipher;
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError("INVALID", `${field}: ${result.error.issues[0]?.message ?? "is invalid"}`, {
    details: { field },
  });
}
