import type { AdminSession } from "@mcp-tools/core";
import { CsrfField } from "./layout.js";

/**
 * A prompt's definition as the form holds it: plain text, as typed or as stored, so a refused form
 * comes back with everything in it. Core checks it when it is saved.
 */
export interface PromptDraft {
  title?: string | undefined;
  description?: string | undefined;
  arguments: Array<{
    name: string;
    description?: string | undefined;
    required?: boolean | undefined;
    suggestions?: string[] | undefined;
  }>;
  messages: Array<{ role: string; text: string }>;
}

/** Empty rows offered below the filled ones: no script adds rows (the CSP allows none inline). */
const SPARE_ARGUMENTS = 2;
const SPARE_MESSAGES = 1;

type Form = Record<string, string | File | (string | File)[]>;

const textOf = (form: Form, key: string) => {
  const value = form[key];
  // A textarea's lines come as CRLF (HTML §4.10.5); a prompt's text keeps plain newlines.
  return typeof value === "string" ? value.replaceAll("\r\n", "\n") : "";
};

// The row numbers a form sent for `list` (arguments.3.name → 3), in order.
const rowsOf = (form: Form, list: string) => {
  const pattern = new RegExp(`^${list}\\.(\\d{1,3})\\.`);
  const rows = Object.keys(form).flatMap((key) => pattern.exec(key)?.[1] ?? []);
  return [...new Set(rows.map(Number))].sort((a, b) => a - b);
};

/** The definition a prompt form sent; empty rows are left out, and empty title or description. */
export function draftFromForm(form: Form): PromptDraft {
  const title = textOf(form, "title").trim();
  const description = textOf(form, "description").trim();
  return {
    ...(title && { title }),
    ...(description && { description }),
    arguments: rowsOf(form, "arguments").flatMap((row) => {
      const name = textOf(form, `arguments.${row}.name`).trim();
      const about = textOf(form, `arguments.${row}.description`).trim();
      // One per line: a value may well hold a comma ("Short, friendly"). Repeats go to core to refuse.
      const suggestions = textOf(form, `arguments.${row}.suggestions`)
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
      if (!name && !about && suggestions.length === 0) return [];
      const required = form[`arguments.${row}.required`] === "1";
      return [
        {
          name,
          ...(about && { description: about }),
          ...(required && { required }),
          ...(suggestions.length > 0 && { suggestions }),
        },
      ];
    }),
    messages: rowsOf(form, "messages").flatMap((row) => {
      const text = textOf(form, `messages.${row}.text`);
      if (!text.trim()) return [];
      return [{ role: textOf(form, `messages.${row}.role`), text }];
    }),
  };
}

/**
 * Core's message with the field as the form labels it: "messages.0.text: …" reads "Message 1, text:
 * …", "arguments.0.suggestions.2: …" "Argument 1, suggested value 3: …". The rows are numbered as
 * the draft has them, and the form comes back with the draft's rows.
 */
export function readableError(message: string): string {
  return message.replace(
    /^(arguments|messages)\.(\d+)(?:\.(\w+)(?:\.(\d+))?)?:/,
    (_, list: string, row: string, field: string | undefined, item: string | undefined) => {
      const place = `${list === "arguments" ? "Argument" : "Message"} ${Number(row) + 1}`;
      if (field === "suggestions")
        return `${place}, ${item === undefined ? "suggested values" : `suggested value ${Number(item) + 1}`}:`;
      return `${place}${field ? `, ${field}` : ""}:`;
    },
  );
}

export interface PromptFormProps {
  session: AdminSession;
  action: string;
  draft: PromptDraft;
  /** For a new prompt: the name field, with what was typed. */
  name?: string | undefined;
  button: string;
}

/** Name (new prompts only), title, description, arguments and messages; posts to `action`. */
export function PromptForm({ session, action, draft, name, button }: PromptFormProps) {
  const args: PromptDraft["arguments"] = [
    ...draft.arguments,
    ...Array.from({ length: SPARE_ARGUMENTS }, () => ({ name: "" })),
  ];
  const messages: PromptDraft["messages"] = [
    ...draft.messages,
    ...Array.from({ length: SPARE_MESSAGES }, () => ({ role: "user", text: "" })),
  ];
  return (
    <form class="stack panel prompt" method="post" action={action}>
      <CsrfField session={session} />
      {name !== undefined && (
        <label>
          Name, as clients list it
          <input name="name" required maxlength={64} pattern="[A-Za-z0-9_\-]{1,64}" value={name} />
        </label>
      )}
      <label>
        Title (optional)
        <input name="title" maxlength={200} value={draft.title ?? ""} />
      </label>
      <label>
        Description (optional)
        <input name="description" maxlength={2000} value={draft.description ?? ""} />
      </label>
      <fieldset>
        <legend>Arguments: what the client asks for; leave a row empty for none</legend>
        {args.map((argument, row) => (
          <div class="prompt-row">
            <label>
              Name
              <input name={`arguments.${row}.name`} maxlength={64} value={argument.name} />
            </label>
            <label class="grow">
              Description
              <input
                name={`arguments.${row}.description`}
                maxlength={500}
                value={argument.description ?? ""}
              />
            </label>
            <label class="check">
              <input
                type="checkbox"
                name={`arguments.${row}.required`}
                value="1"
                checked={argument.required === true}
              />
              Required
            </label>
            <label class="grow">
              Suggested values{" "}
              <span class="muted small">
                (optional, one per line; clients offer them, any value is still accepted)
              </span>
              <textarea name={`arguments.${row}.suggestions`} rows={3}>
                {(argument.suggestions ?? []).join("\n")}
              </textarea>
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>
          Messages: <code>{"{{name}}"}</code> is where an argument's value goes; leave a text empty for no
          message
        </legend>
        {messages.map((message, row) => (
          <div class="prompt-row message">
            <label>
              Role
              <select name={`messages.${row}.role`}>
                <option value="user" selected={message.role !== "assistant"}>
                  user
                </option>
                <option value="assistant" selected={message.role === "assistant"}>
                  assistant
                </option>
              </select>
            </label>
            <label class="grow">
              Text
              <textarea name={`messages.${row}.text`} rows={5} maxlength={20_000}>
                {message.text}
              </textarea>
            </label>
          </div>
        ))}
      </fieldset>
      <button type="submit">{button}</button>
    </form>
  );
}
