/** Who this server is, the same in every era (`initialize`, `server/discover`, results' `_meta`). */
export const serverInfo = { name: "mcp-tools", title: "mcp-tools", version: "0.1.0" };

/** What a model should know about this server's tools, the same in every era. */
export const instructions =
  "Tools shared by every client of this server: `echo` for diagnostics and a notes knowledge base " +
  "(note_save, note_search, note_get, note_list, note_delete) that all clients read and write.";

/**
 * What this server offers, the same in every era (`initialize`, `server/discover`): tools and
 * prompts whose lists change, resources one may subscribe to, completion and log messages.
 */
export const serverCapabilities = {
  tools: { listChanged: true },
  resources: { subscribe: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
};
