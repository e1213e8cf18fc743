const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|cookie|credential|private[-_]?key/i;
const MAX_STRING = 1_000;
const MAX_KEY = 100;
const MAX_KEYS = 100;
const MAX_ITEMS = 50;
const MAX_DEPTH = 6;
// Across the whole copy: wide and deep arguments together cost bounded work and storage.
const MAX_VALUES = 1_000;
const MAX_CHARS = 32_000;

/** A sanitized copy and what it holds so far: the running budget of the limits above. */
interface SanitizedArguments {
  value: unknown;
  /** Values (objects, arrays, scalars) in the copy. */
  values: number;
  /** Characters of every string and key in the copy. */
  chars: number;
}

/**
 * A copy of tool arguments fit for the audit log: values under secret-looking keys replaced,
 * strings, keys, arrays and objects cut short, deep nesting cut off, every string well-formed.
 */
export function sanitizeArguments(value: unknown): unknown {
  return sanitizeArgumentsSized(value).value;
}

// Work is bounded by the limits, not the input.
function sanitizeArgumentsSized(value: unknown): SanitizedArguments {
  // The result doubles as the running budget: one allocation a record.
  const sized: SanitizedArguments = { value: undefined, values: 0, chars: 0 };
  sized.value = copy(value, 0, sized);
  return sized;
}

function copy(value: unknown, depth: number, budget: SanitizedArguments): unknown {
  budget.values += 1;
  switch (typeof value) {
    case "string":
      return text(value, Math.min(MAX_STRING, MAX_CHARS - budget.chars), budget);
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value;
    case "bigint":
      return String(value);
    case "object":
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return "[too deep]";
      return Array.isArray(value) ? copyArray(value, depth, budget) : copyObject(value, depth, budget);
    default:
      // undefined, functions and symbols: what JSON.stringify would leave out.
      return undefined;
  }
}

function copyArray(value: unknown[], depth: number, budget: SanitizedArguments): unknown[] {
  const items: unknown[] = [];
  const kept = Math.min(value.length, MAX_ITEMS);
  for (let i = 0; i < kept && budget.values < MAX_VALUES; i++)
    items.push(copy(value[i], depth + 1, budget) ?? null);
  if (items.length < value.length) items.push(`[${value.length - items.length} more items]`);
  return items;
}

function copyObject(value: object, depth: number, budget: SanitizedArguments): Record<string, unknown> {
  // No prototype: a "__proto__" key stays a key.
  const out: Record<string, unknown> = Object.create(null);
  let count = 0;
  // for…in, stopping early: an object of 10,000 keys costs what its first 100 do.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (count === MAX_KEYS || budget.values >= MAX_VALUES) {
      out["…"] = "[more keys not kept]";
      break;
    }
    count += 1;
    const name = text(key, MAX_KEY, budget);
    const item = SECRET_KEY.test(name)
      ? "[redacted]"
      : copy((value as Record<string, unknown>)[key], depth + 1, budget);
    if (item !== undefined) out[name] = item;
  }
  return out;
}

function text(value: string, max: number, budget: SanitizedArguments): string {
  const clean = sanitizeText(value, Math.max(0, max));
  budget.chars += clean.length;
  return clean;
}

/**
 * Cut to `max` characters without splitting a surrogate pair, NUL and lone surrogates replaced by
 * U+FFFD: PostgreSQL's text and jsonb refuse both, and one refused row would fail its whole batch.
 * Only the kept part is ever scanned.
 */
export function sanitizeText(value: string, max = MAX_STRING): string {
  if (value.length <= max) return wellFormed(value);
  let end = max;
  if (isHighSurrogate(value.charCodeAt(end - 1))) end -= 1;
  // V8 keeps a slice as a view into the whole string: slicing a concatenation copies the kept
  // characters instead, so a 4 MiB argument is not held until its audit row is written.
  const kept = `${value.slice(0, end)}…`.slice(0, -1);
  return `${wellFormed(kept)}…[${value.length - end} more chars]`;
}

function wellFormed(value: string): string {
  const withoutNul = value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
