import { diffLines } from "diff";

const CONTEXT = 3;
// The database keeps JSON without its key order: a definition is shown in the order people write
// one, nested keys sorted, so that two versions line up.
const FIELDS = [
  "name",
  "title",
  "description",
  "inputSchema",
  "outputSchema",
  "annotations",
  "request",
  "response",
];

/** A definition with its keys in a stable order: the usual fields first, then the rest, sorted. */
export function canonical(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, false));
  if (typeof value !== "object" || value === null) return value;
  const rank = (key: string) => (top && FIELDS.includes(key) ? FIELDS.indexOf(key) : FIELDS.length);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(
    keys.map((key) => [key, canonical((value as Record<string, unknown>)[key], false)]),
  );
}

/** A definition as the admin shows it: canonical key order, two-space JSON. */
export const prettyDefinition = (value: unknown) => JSON.stringify(canonical(value ?? {}), null, 2);
const pretty = (value: unknown) => `${prettyDefinition(value)}\n`;

interface Line {
  mark: "+" | "-" | " ";
  text: string;
}

/** Lines of `before` → `after` (pretty JSON), unchanged runs cut to CONTEXT lines around each change. */
export function definitionDiff(before: unknown, after: unknown): (Line | { skipped: number })[] {
  const lines: Line[] = diffLines(pretty(before), pretty(after)).flatMap((part) => {
    const mark = part.added ? "+" : part.removed ? "-" : " ";
    return part.value
      .replace(/\n$/, "")
      .split("\n")
      .map((text) => ({ mark, text }) as Line);
  });
  const near = lines.map((_, index) =>
    lines.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some((line) => line.mark !== " "),
  );
  const shown: (Line | { skipped: number })[] = [];
  let skipped = 0;
  lines.forEach((line, index) => {
    if (near[index]) {
      if (skipped > 0) shown.push({ skipped });
      skipped = 0;
      shown.push(line);
    } else skipped += 1;
  });
  if (skipped > 0) shown.push({ skipped });
  return shown;
}

/** What a version changes against another, as a reviewer reads it before approving. */
export function VersionDiff({ before, after }: { before: unknown; after: unknown }) {
  const lines = definitionDiff(before, after);
  return (
    <pre class="diff">
      {lines.map((line) =>
        "skipped" in line ? (
          <span class="skip">{`  … ${line.skipped} unchanged lines\n`}</span>
        ) : (
          <span class={line.mark === "+" ? "add" : line.mark === "-" ? "del" : undefined}>
            {`${line.mark} ${line.text}\n`}
          </span>
        ),
      )}
    </pre>
  );
}
