import { z } from "zod";
import { storable } from "../text/well-formed.js";

export const MAX_PROMPT_ARGUMENTS = 20;
export const MAX_PROMPT_MESSAGES = 20;
export const MAX_MESSAGE_CHARS = 20_000;
/** MCP §Completion answers at most 100 values: an argument suggests no more than one answer holds. */
export const MAX_ARGUMENT_SUGGESTIONS = 100;
export const MAX_SUGGESTION_CHARS = 200;

/** A prompt's name: what clients show in a menu and send back; the same rules as a tool's. */
export const promptName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1 to 64 letters, digits, _ or -");

const argumentName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a letter or _, then letters, digits or _");

/** `{{name}}` in a message: where an argument's value goes. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A prompt as people write it in the admin: what the client's menu shows, the arguments it asks
 * for, and the messages it becomes, with `{{argument}}` where each value goes.
 */
export const PromptDefinition = z
  .object({
    title: storable(z.string().trim().min(1).max(200)).optional(),
    description: storable(z.string().trim().max(2_000)).optional(),
    arguments: z
      .array(
        z
          .object({
            name: argumentName,
            description: storable(z.string().trim().max(500)).optional(),
            required: z.boolean().optional(),
            // Hints for completion/complete, not an enum: prompts/get still takes any value.
            suggestions: z
              .array(
                storable(
                  z
                    .string()
                    .trim()
                    .min(1, "must not be empty")
                    .max(MAX_SUGGESTION_CHARS, `at most ${MAX_SUGGESTION_CHARS} characters`),
                ),
              )
              .max(MAX_ARGUMENT_SUGGESTIONS, `at most ${MAX_ARGUMENT_SUGGESTIONS} suggested values`)
              .optional()
              .describe("Values clients suggest as the user types; any other value is still accepted"),
          })
          .strict(),
      )
      .max(MAX_PROMPT_ARGUMENTS)
      .default([]),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["user", "assistant"]),
            text: storable(z.string().min(1).max(MAX_MESSAGE_CHARS)),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_PROMPT_MESSAGES),
  })
  .strict()
  .superRefine((definition, issues) => {
    const names = definition.arguments.map((argument) => argument.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated)
      issues.addIssue({ code: "custom", path: ["arguments"], message: `${repeated} is declared twice` });
    definition.arguments.forEach(({ suggestions = [] }, index) => {
      const twice = suggestions.findIndex((value, at) => suggestions.indexOf(value) !== at);
      if (twice !== -1)
        issues.addIssue({
          code: "custom",
          path: ["arguments", index, "suggestions", twice],
          message: `${suggestions[twice]} is suggested twice`,
        });
    });
    definition.messages.forEach((message, index) => {
      for (const [, name] of message.text.matchAll(PLACEHOLDER)) {
        if (name !== undefined && !names.includes(name))
          issues.addIssue({
            code: "custom",
            path: ["messages", index, "text"],
            message: `{{${name}}} is not one of the prompt's arguments`,
          });
      }
    });
  });
export type PromptDefinition = z.output<typeof PromptDefinition>;
