import type { Config } from "@mcp-tools/core";
import { createEgressAgent, createEgressPolicy } from "@mcp-tools/core/catalog";

type Agent = ReturnType<typeof createEgressAgent>;

/**
 * Runs `work` with an agent that fetches documents as tools call out (public addresses only,
 * unless EGRESS_ALLOW names one), and closes it after. One per import: imports are rare, and an
 * app has no close of its own to end an agent kept for its life (its context outlives it), so
 * such an agent would hold its sockets open until the process exits.
 */
export async function withDocumentAgent<T>(
  config: Pick<Config, "EGRESS_ALLOW">,
  work: (agent: Agent) => Promise<T>,
): Promise<T> {
  const agent = createEgressAgent({ policy: createEgressPolicy(config.EGRESS_ALLOW) });
  try {
    return await work(agent);
  } finally {
    await agent.close();
  }
}
