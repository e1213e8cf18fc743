import type { z } from "zod";

// With the u flag a surrogate pair is one code point, so this matches only halves left alone.
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

/** Why `text` cannot be stored as it is (PostgreSQL text and jsonb hold neither), or undefined. */
export function malformation(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain NUL characters";
  if (LONE_SURROGATE.test(text)) return "must be well-formed Unicode (no lone surrogates)";
  return undefined;
}

/**
 * Refuses NUL and lone surrogates up front: PostgreSQL text cannot hold NUL, and a lone surrogate
 * would come back as U+FFFD, so every accepted string round-trips exactly.
 */
export const storable = <T extends z.ZodType<string, string>>(schema: T) =>
  schema
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters")
    .refine((value) => !LONE_SURROGATE.test(value), "must be well-formed Unicode (no lone surrogates)");

/** The first string or key in a JSON value that `malformation` refuses: its dotted path and why. */
export function findMalformed(
  value: unknown,
  path: string[] = [],
): { path: string; reason: string } | undefined {
  if (typeof value === "string") {
    const reason = malformation(value);
    return reason ? { path: path.join("."), reason } : undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const keyReason = malformation(key);
    if (keyReason) return { path: [...path, key].join("."), reason: `its name ${keyReason}` };
    const found = findMalformed(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** `text` with lone surrogates replaced by U+FFFD and NUL removed. */
export const wellFormedText = (text: string): string =>
  text.replace(LONE_SURROGATES, "\ufffd").replaceAll("\u0000", "");

/** A JSON-bound value with every string and key made well-formed; other values as they are. */
export function wellFormedJson(value: unknown): unknown {
  if (typeof value === "string") return wellFormedText(value);
  if (Array.isArray(value)) return value.map(wellFormedJson);
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [wellFormedText(key), wellFormedJson(item)]),
  );
}
