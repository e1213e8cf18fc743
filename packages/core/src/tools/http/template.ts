const PLACEHOLDER = /\{([a-zA-Z_][\w]*(?::[A-Za-z0-9_.-]+)?)\}/g;
const WHOLE = /^\{([a-zA-Z_]\w*)\}$/;
/** `{secret:NAME}` in a header template. */
const SECRET = "secret:";

/** The names a template refers to: `id` for `{id}`, `secret:TOKEN` for `{secret:TOKEN}`. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
}

export type Args = Record<string, unknown>;
export type Secrets = ReadonlyMap<string, string>;

/**
 * A template read once, when its tool is served: the text between its placeholders and what each
 * names (an argument, or a secret), so that a call fills it without a regular expression.
 */
export class Template {
  /** The secrets it sends, by name. */
  readonly secrets: readonly string[];
  readonly #texts: string[] = [];
  readonly #names: string[] = [];
  readonly #isSecret: boolean[] = [];

  constructor(text: string) {
    let from = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      const name = match[1] ?? "";
      this.#texts.push(text.slice(from, match.index));
      this.#isSecret.push(name.startsWith(SECRET));
      this.#names.push(name.startsWith(SECRET) ? name.slice(SECRET.length) : name);
      from = match.index + match[0].length;
    }
    this.#texts.push(text.slice(from));
    this.secrets = this.#names.filter((_, i) => this.#isSecret[i]);
  }

  /** The text filled in, each value through `encode`; undefined when a value it names is missing. */
  fill(args: Args, encode?: (value: string) => string, secrets?: Secrets): string | undefined {
    let filled = this.#texts[0] ?? "";
    for (let i = 0; i < this.#names.length; i += 1) {
      const name = this.#names[i] ?? "";
      const value = this.#isSecret[i] ? secrets?.get(name) : textOf(args[name]);
      if (value === undefined) return undefined;
      filled += (encode ? encode(value) : value) + (this.#texts[i + 1] ?? "");
    }
    return filled;
  }
}

/**
 * A JSON body's template, read once: a string that is exactly `{name}` becomes the argument itself
 * (number, object…), other strings are filled as text; a member whose value is missing is left out.
 */
export function jsonTemplate(template: unknown): (args: Args) => unknown {
  if (typeof template === "string") {
    const name = WHOLE.exec(template)?.[1];
    if (name !== undefined) return (args) => args[name];
    const text = new Template(template);
    return (args) => text.fill(args);
  }
  if (Array.isArray(template)) {
    const items = template.map(jsonTemplate);
    return (args) => items.map((item) => item(args)).filter((value) => value !== undefined);
  }
  if (typeof template === "object" && template !== null) {
    const members = Object.entries(template).map(([key, value]) => [key, jsonTemplate(value)] as const);
    // fromEntries, not assignment: a member named __proto__ stays a member.
    return (args) =>
      Object.fromEntries(
        members.map(([key, member]) => [key, member(args)]).filter(([, value]) => value !== undefined),
      );
  }
  return () => template;
}

/** An argument as it goes into a URL or a header. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
