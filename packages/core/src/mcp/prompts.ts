import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { GetPromptRequestSchema, ListPromptsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../context.js";
import { getPrompt, listPrompts, promptListSignature } from "../prompts/serve.js";
import type { Principal } from "./principal.js";
import { answeredForSdk } from "./rpc-error.js";
import { askInSession } from "./session-channel.js";

/**
 * `prompts/list` and `prompts/get` on an SDK v1 server (the 2025 eras; a prompt that asks asks in
 * the session, as a tool does), and `prompts/list_changed` when a change in any process alters what
 * this caller sees (once it has listed). Returns the function that stops watching.
 */
export function servePrompts(server: Server, ctx: AppContext, principal: Principal): () => void {
  let shown: string | undefined;
  server.setRequestHandler(ListPromptsRequestSchema, async () => {
    const listed = await answeredForSdk(listPrompts(ctx, principal));
    shown = JSON.stringify(listed.prompts);
    return listed;
  });
  server.setRequestHandler(GetPromptRequestSchema, ({ params }, extra) =>
    answeredForSdk(
      getPrompt(ctx, principal, params.name, params.arguments, (requests) =>
        askInSession(server, requests, extra.sendRequest),
      ),
    ),
  );
  return ctx.prompts.onChange(() => {
    if (shown === undefined) return;
    void promptListSignature(ctx, principal)
      .then((now) => {
        if (now === shown) return;
        shown = now;
        return server.sendPromptListChanged();
      })
      .catch((error: unknown) => ctx.log.debug({ err: error }, "could not send prompts/list_changed"));
  });
}
