import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";
import type { InputAsker } from "../mcp/input.js";

export type { GetPromptResult, Prompt };

/** What making a prompt may do besides reading its arguments. */
export interface PromptContext {
  /**
   * Asks the client, as a tool's `ToolContext.ask` does and with the same rules: in the 2025 eras a
   * request in the session; in 2026-07-28 `prompts/get` answers `input_required`, and the prompt is
   * made again from the start when the client retries with the answers. Throws an AppError INVALID
   * when the client cannot be asked that.
   */
  ask: InputAsker;
}

/**
 * Prompts clients can list and get, protocol-neutral: the admin's library, and the conformance
 * fixtures. Served by prompts/serve.ts.
 */
export interface PromptSource {
  /** The prompts it serves now (descriptors: name, title, description, arguments). */
  list(): Promise<Prompt[]>;
  /** The prompt made with these arguments; undefined when it has no prompt of that name. */
  get(name: string, args: Record<string, string>, ctx: PromptContext): Promise<GetPromptResult | undefined>;
  /**
   * The values suggested for an argument of one of its prompts, in the order they were written;
   * none when it suggests nothing.
   */
  suggestions?(name: string, argument: string): Promise<readonly string[]>;
  /** Called when what it serves may have changed; returns the function that stops it. */
  onChange(listener: () => void): () => void;
}
