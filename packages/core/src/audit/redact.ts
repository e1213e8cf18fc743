const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|cookie|credential|private[-_]?key/i;
const MAX_STRING = 1_000;
const MAX_ITEMS = 50;
const MAX_DEPTH = 6;

/**
 * A copy of tool arguments fit for the audit log: values under secret-looking keys replaced,
 * long strings and arrays truncated, deep nesting cut off.
 */
export function sanitizeArguments(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return sanitizeText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => sanitizeArguments(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more items]`);
    return items;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) ? "[redacted]" : sanitizeArguments(item, depth + 1),
    ]),
  );
}

/** Truncated, and without NUL characters, which Postgres text and jsonb refuse (one would jam the queue). */
export function sanitizeText(value: string): string {
  const clean = value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value;
  return clean.length > MAX_STRING
    ? `${clean.slice(0, MAX_STRING)}…[${clean.length - MAX_STRING} more chars]`
    : clean;
}
