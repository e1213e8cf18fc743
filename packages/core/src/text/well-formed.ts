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

/** Deeper than any value the admin API takes; a body nested further is refused before it is walked. */
export const MAX_JSON_DEPTH = 32;

/**
 * The first string or key in a JSON value that `malformation` refuses, or the first place nested
 * deeper than MAX_JSON_DEPTH: its dotted path and why. Walked without recursion, so no body can
 * exhaust the stack.
 */
export function findMalformed(value: unknown): { path: string; reason: string } | undefined {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, path } = next;
    if (typeof item === "string") {
      const reason = malformation(item);
      if (reason) return { path: path.join("."), reason };
      continue;
    }
    if (typeof item !== "object" || item === null) continue;
    if (path.length >= MAX_JSON_DEPTH) return { path: path.join("."), reason: "is nested too deeply" };
    const entries = Object.entries(item);
    // An object's keys are checked as it is opened; its values are visited in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] ?? ["", undefined];
      const keyReason = malformation(key);
      if (keyReason) return { path: [...path, key].join("."), reason: `its name ${keyReason}` };
      pending.push({ value: child, path: [...path, key] });
    }
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
