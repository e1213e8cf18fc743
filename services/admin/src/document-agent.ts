import type { Config } from "@mcp-tools/core";
import { createEgressAgent, createEgressPolicy } from "@mcp-tools/core/catalog";

type Agent = ReturnType<typeof createEgressAgent>;

/**
 * The agent OpenAPI documents named by URL are fetched through, under the rules tools call out
 * by (public addresses only, unless EGRESS_ALLOW names one); made on first use.
 */
export function lazyDocumentAgent(config: Pick<Config, "EGRESS_ALLOW">) {
  let agent: Agent | undefined;
  return {
    get: (): Agent => {
      agent ??= createEgressAgent({ policy: createEgressPolicy(config.EGRESS_ALLOW) });
      return agent;
    },
    close: async () => agent?.close(),
  };
}
