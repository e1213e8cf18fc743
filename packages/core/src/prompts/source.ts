import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";

export type { GetPromptResult, Prompt };

/**
 * Prompts clients can list and get, protocol-neutral: the admin's library, and the conformance
 * fixtures. Served by prompts/serve.ts.
 */
export interface PromptSource {
  /** The prompts it serves now (descriptors: name, title, description, arguments). */
  list(): Promise<Prompt[]>;
  /** The prompt made with these arguments; undefined when it has no prompt of that name. */
  get(name: string, args: Record<string, string>): Promise<GetPromptResult | undefined>;
  /** Called when what it serves may have changed; returns the function that stops it. */
  onChange(listener: () => void): () => void;
}
