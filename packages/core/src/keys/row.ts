import { getTableColumns } from "drizzle-orm";
import { z } from "zod";
import { apiKeys } from "../db/schema.js";
import { KeyScope } from "./scope.js";

/** A key's pins: tool name → version hash (sha256, hex). */
export const PinnedVersions = z
  .record(z.string().max(64), z.string().regex(/^[0-9a-f]{64}$/))
  .refine((pins) => Object.keys(pins).length <= 500, "at most 500 pins");

/** An API key as the rest of the system sees it: everything but the hash of its secret. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scope: KeyScope;
  rateLimitPerMinute: number | null;
  /** Tool name → the version hash this key keeps (see keys/pins.ts). */
  pinnedVersions: Record<string, string>;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

const { secretHash: _hash, ...publicColumns } = getTableColumns(apiKeys);
/** The columns to select when the hash is not needed. */
export const apiKeyColumns = publicColumns;

/** Parses the stored scope: a row written by hand with a bad scope fails loudly rather than widening access. */
export function toApiKey(row: Omit<typeof apiKeys.$inferSelect, "secretHash">): ApiKey {
  return {
    ...row,
    scope: KeyScope.parse(row.scope),
    pinnedVersions: PinnedVersions.parse(row.pinnedVersions),
  };
}
