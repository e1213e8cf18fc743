import type { CallToolResult, ContentBlock } from "@modelcontextprotocol/sdk/types.js";

type Block = CallToolResult["content"][number];

// The revisions that added a kind of content block: a client of an older one knows no such block.
const ADDED_IN: Partial<Record<ContentBlock["type"], string>> = {
  audio: "2025-03-26",
  resource_link: "2025-06-18",
};

/**
 * A tool's result as a client of `revision` can read it: blocks its revision does not have (audio
 * before 2025-03-26, resource links before 2025-06-18) become text saying what they were. The
 * revisions are dates, so they compare as strings.
 */
export function resultForRevision(result: CallToolResult, revision: string | undefined): CallToolResult {
  if (revision === undefined || !result.content.some((block) => newerThan(block, revision))) return result;
  return {
    ...result,
    content: result.content.map((block) => (newerThan(block, revision) ? asText(block) : block)),
  };
}

function newerThan(block: Block, revision: string): boolean {
  const added = ADDED_IN[block.type];
  return added !== undefined && revision < added;
}

function asText(block: Block): Block {
  if (block.type === "audio")
    return {
      type: "text",
      text: `[audio, ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`,
    };
  if (block.type === "resource_link") {
    const named = block.title ?? block.name;
    return { type: "text", text: `[resource: ${named ? `${named}, ` : ""}${block.uri}]` };
  }
  return block;
}
