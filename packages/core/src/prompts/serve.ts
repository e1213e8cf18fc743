import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { inScope } from "../keys/scope.js";
import type { InputAsker } from "../mcp/input.js";
import type { Principal } from "../mcp/principal.js";
import type { GetPromptResult, Prompt, PromptSource } from "./source.js";
import { type Suggested, suggest } from "./suggest.js";

type ServeContext = Pick<AppContext, "prompts" | "config">;

// The fixtures' prompts come with the fixture tools, and load only then.
async function sourcesOf(ctx: ServeContext): Promise<readonly PromptSource[]> {
  if (!ctx.config.CONFORMANCE_FIXTURES) return [ctx.prompts];
  const { fixturePrompts } = await import("../tools/fixtures/prompts-source.js");
  return [ctx.prompts, fixturePrompts];
}

// A prompt only makes messages: a read-only key may use every one, a key for named tools the
// prompts it names, as it would a tool.
const mayUse = (principal: Principal, name: string) =>
  inScope(principal.scope, { name, annotations: { readOnlyHint: true } });

/** `prompts/list`: the prompts this caller may use (a library is small: one page). */
export async function listPrompts(ctx: ServeContext, principal: Principal): Promise<{ prompts: Prompt[] }> {
  const lists = await Promise.all((await sourcesOf(ctx)).map((source) => source.list()));
  return { prompts: lists.flat().filter((prompt) => mayUse(principal, prompt.name)) };
}

/**
 * `prompts/get`: the prompt made with `args`, asking the client through `ask` if it must (without
 * one, a prompt that asks is refused); one the caller may not use answers as a missing one.
 */
export async function getPrompt(
  ctx: ServeContext,
  principal: Principal,
  name: string,
  args: unknown,
  ask: InputAsker = cannotAsk,
): Promise<GetPromptResult> {
  const unknownPrompt = new AppError(
    "INVALID",
    `Invalid params for prompts/get: unknown prompt ${name.slice(0, 100)}`,
  );
  if (!mayUse(principal, name)) throw unknownPrompt;
  const values = argumentsOf(args);
  for (const source of await sourcesOf(ctx)) {
    const made = await source.get(name, values, { ask });
    if (made) return made;
  }
  throw unknownPrompt;
}

const cannotAsk: InputAsker = async () => {
  throw new AppError("INVALID", "This client cannot be asked for input");
};

function argumentsOf(args: unknown): Record<string, string> {
  if (args === undefined) return {};
  const valid =
    typeof args === "object" &&
    args !== null &&
    !Array.isArray(args) &&
    Object.values(args).every((value) => typeof value === "string");
  if (!valid)
    throw new AppError("INVALID", "Invalid params for prompts/get: arguments: expected an object of strings");
  return args as Record<string, string>;
}

/** What a caller's prompt list is, comparable: a change to it is what `list_changed` reports. */
export async function promptListSignature(ctx: ServeContext, principal: Principal): Promise<string> {
  return JSON.stringify((await listPrompts(ctx, principal)).prompts);
}

/**
 * `completion/complete` for a prompt's argument: the prompt must be one the caller may use, and
 * have that argument; its suggested values that go with what was typed answer (see `suggest`).
 */
export async function completePromptArgument(
  ctx: ServeContext,
  principal: Principal,
  name: string,
  argument: string,
  typed: string,
): Promise<{ completion: Suggested }> {
  const unknown = new AppError(
    "INVALID",
    `Invalid params for completion/complete: prompt ${name.slice(0, 100)} has no argument ${argument.slice(0, 100)}`,
  );
  if (!mayUse(principal, name)) throw unknown;
  // The first source with the prompt makes it (as getPrompt does), so it is the one that suggests.
  for (const source of await sourcesOf(ctx)) {
    const prompt = (await source.list()).find((each) => each.name === name);
    if (!prompt) continue;
    if (!prompt.arguments?.some((each) => each.name === argument)) throw unknown;
    return { completion: suggest((await source.suggestions?.(name, argument)) ?? [], typed) };
  }
  throw unknown;
}
