// What a user sees of an answer, made comparable across eras, transports and runs.

/** A `tools/call` result as a user sees it. */
export interface Answer {
  content: unknown;
  structuredContent: unknown;
  isError: unknown;
}

/** A call the server should refuse with a JSON-RPC error; `answered` if it gave a result instead. */
export type Refusal = { code: unknown; message: unknown } | { answered: Answer };

/** `_meta` is left out: only the 2026-07-28 era carries it (the server's identity), by design. */
export function answerOf(result: object): Answer {
  const { content, structuredContent, isError } = result as Partial<Answer>;
  return { content, structuredContent, isError };
}

export const withoutMeta = (tool: object) => {
  const { _meta: _, ...rest } = tool as { _meta?: unknown };
  return rest;
};

// SDK v1's McpError prefixes the server's message with this; the server sent the message alone.
const SDK_V1_PREFIX = /^MCP error -?\d+: /;

export async function refusalOf(answer: Promise<object>): Promise<Refusal> {
  try {
    return { answered: answerOf(await answer) };
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code, message: typeof message === "string" ? message.replace(SDK_V1_PREFIX, "") : message };
  }
}

const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/** Ids and timestamps differ from run to run by nature; nothing else may. */
export function placeholders<T>(seen: T, id: string): T {
  const text = JSON.stringify(seen).replaceAll(id, "<note id>").replace(TIMESTAMP, "<time>");
  return JSON.parse(text);
}
