const PLACEHOLDER = /\{([a-zA-Z_][\w]*(?::[A-Za-z0-9_.-]+)?)\}/g;

/** The names a template refers to: `id` for `{id}`, `secret:TOKEN` for `{secret:TOKEN}`. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
}

type Lookup = (name: string) => string | undefined;

/** Fills a template; undefined when it names a value that is missing. */
export function fill(
  text: string,
  lookup: Lookup,
  encode: (value: string) => string = (value) => value,
): string | undefined {
  let missing = false;
  const filled = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = lookup(name);
    if (value === undefined) missing = true;
    return encode(value ?? "");
  });
  return missing ? undefined : filled;
}

/**
 * A JSON body from its template: a string that is exactly `{name}` becomes the argument itself
 * (number, object…), other strings are filled as text; a member whose value is missing is left out.
 */
export function fillJson(template: unknown, args: Record<string, unknown>): unknown {
  if (typeof template === "string") {
    const whole = /^\{([a-zA-Z_]\w*)\}$/.exec(template);
    if (whole) return args[whole[1] ?? ""];
    return fill(template, (name) => textOf(args[name]));
  }
  if (Array.isArray(template))
    return template.map((item) => fillJson(item, args)).filter((item) => item !== undefined);
  if (typeof template === "object" && template !== null) {
    const entries = Object.entries(template).map(([key, value]) => [key, fillJson(value, args)] as const);
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  }
  return template;
}

/** An argument as it goes into a URL or a header. */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
