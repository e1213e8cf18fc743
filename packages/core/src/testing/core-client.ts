import type { AppContext } from "../context.js";
import { callTool } from "../mcp/call-tool.js";
import { localPrincipal } from "../mcp/principal.js";
import { rpcErrorOf } from "../mcp/rpc-error.js";
import { visibleTools } from "../tools/settings/visible.js";
import type { ScenarioClient } from "./era-scenario.js";

/**
 * A client with no protocol between it and the call wrapper: the answers every era and transport
 * must deliver unchanged. A JSON-RPC error is thrown as the error object every era sends.
 */
export function coreClient(ctx: AppContext): ScenarioClient {
  return {
    listTools: async () => ({ tools: visibleTools(ctx, localPrincipal) }),
    async callTool({ name, arguments: args }) {
      const meta = { principal: localPrincipal, transport: "in-memory" as const };
      try {
        return await callTool(ctx, name, args, { ...meta, signal: new AbortController().signal });
      } catch (error) {
        const { code, message } = rpcErrorOf(error);
        throw Object.assign(new Error(message), { code });
      }
    },
  };
}
