import { describe, expect, it } from "vitest";
import { withDocumentAgent } from "./document-agent.js";

describe("withDocumentAgent", () => {
  it("closes the agent once the work is done, and when it fails", async () => {
    const agents: { closed: boolean }[] = [];
    expect(await withDocumentAgent({ EGRESS_ALLOW: [] }, async (agent) => agents.push(agent))).toBe(1);
    await expect(
      withDocumentAgent({ EGRESS_ALLOW: [] }, async (agent) => {
        agents.push(agent);
        throw new Error("unreadable");
      }),
    ).rejects.toThrow("unreadable");
    expect(agents.map((agent) => agent.closed)).toEqual([true, true]);
  });
});
