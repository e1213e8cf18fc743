import { AppError } from "../errors.js";
import { PLACEHOLDER, type PromptDefinition } from "./definition.js";
import type { GetPromptResult, Prompt } from "./source.js";

/** An argument's value may be long (a document to summarise), not unbounded. */
const MAX_ARGUMENT_CHARS = 100_000;

/** What `prompts/list` shows of a prompt. */
export function describePrompt(name: string, definition: PromptDefinition): Prompt {
  return {
    name,
    ...(definition.title !== undefined && { title: definition.title }),
    ...(definition.description !== undefined && { description: definition.description }),
    arguments: definition.arguments.map((argument) => ({
      name: argument.name,
      ...(argument.description !== undefined && { description: argument.description }),
      required: argument.required ?? false,
    })),
  };
}

/**
 * The prompt's messages with each `{{argument}}` replaced by its value (an absent optional one by
 * nothing). A missing required argument, or a value too long, is INVALID, naming it.
 */
export function renderPrompt(
  name: string,
  definition: PromptDefinition,
  args: Record<string, string>,
): GetPromptResult {
  for (const argument of definition.arguments) {
    const value = args[argument.name];
    if (argument.required && (value === undefined || value === ""))
      throw new AppError(
        "INVALID",
        `Invalid params for prompts/get: arguments.${argument.name}: required by ${name}`,
      );
    if (value !== undefined && value.length > MAX_ARGUMENT_CHARS)
      throw new AppError(
        "INVALID",
        `Invalid params for prompts/get: arguments.${argument.name}: longer than ${MAX_ARGUMENT_CHARS} characters`,
      );
  }
  return {
    ...(definition.description !== undefined && { description: definition.description }),
    messages: definition.messages.map((message) => ({
      role: message.role,
      content: { type: "text", text: message.text.replace(PLACEHOLDER, (_, key: string) => args[key] ?? "") },
    })),
  };
}
