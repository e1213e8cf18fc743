import { MAX_COMPLETIONS } from "../resources/define.js";

/** A `completion/complete` answer: MCP §Completion's values, whether more match, and how many. */
export interface Suggested {
  values: string[];
  hasMore: boolean;
  total: number;
}

/**
 * The suggested values that start with what was typed, then those that only contain it, ignoring
 * case, each group in the order they were written; at most MAX_COMPLETIONS.
 */
export function suggest(suggestions: readonly string[], typed: string): Suggested {
  const wanted = typed.toLowerCase();
  const starting: string[] = [];
  const containing: string[] = [];
  for (const value of suggestions) {
    const lower = value.toLowerCase();
    if (lower.startsWith(wanted)) starting.push(value);
    else if (lower.includes(wanted)) containing.push(value);
  }
  const matching = [...starting, ...containing];
  const values = matching.slice(0, MAX_COMPLETIONS);
  return { values, hasMore: matching.length > values.length, total: matching.length };
}
