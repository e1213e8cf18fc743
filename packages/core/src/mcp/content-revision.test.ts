import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context.js";
import { resultForRevision } from "./content-revision.js";
import { localPrincipal } from "./principal.js";
import { createMcpServer } from "./server.js";

const mixed: CallToolResult = {
  content: [
    { type: "text", text: "here" },
    { type: "audio", mimeType: "audio/wav", data: "AAAA" },
    { type: "resource_link", uri: "notes://1", name: "note-1", title: "A note" },
  ],
};

describe("a result for the client's revision", () => {
  it("turns audio and resource links into text for a 2024-11-05 client", () => {
    expect(resultForRevision(mixed, "2024-11-05").content).toEqual([
      { type: "text", text: "here" },
      { type: "text", text: "[audio, audio/wav, 3 bytes]" },
      { type: "text", text: "[resource: A note, notes://1]" },
    ]);
  });

  it("keeps audio from 2025-03-26 on, and resource links from 2025-06-18 on", () => {
    expect(resultForRevision(mixed, "2025-03-26").content.map((block) => block.type)).toEqual([
      "text",
      "audio",
      "text",
    ]);
    expect(resultForRevision(mixed, "2025-06-18")).toBe(mixed);
    expect(resultForRevision(mixed, undefined)).toBe(mixed);
  });
});

describe("a 2024-11-05 session", () => {
  it("is sent the fixture's audio as text, and a 2025-03-26 one as audio", async () => {
    const ctx = await createTestContext({ CONFORMANCE_FIXTURES: "true" });
    try {
      const blockOf = async (protocolVersion: string) => {
        const [client, server] = InMemoryTransport.createLinkedPair();
        await createMcpServer(ctx, { principal: localPrincipal, transport: "stdio" }).connect(server);
        const answers: JSONRPCMessage[] = [];
        client.onmessage = (message) => answers.push(message);
        await client.start();
        const clientInfo = { name: "old", version: "1" };
        await client.send({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion, capabilities: {}, clientInfo },
        });
        await client.send({ jsonrpc: "2.0", method: "notifications/initialized" });
        await client.send({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "test_audio_content", arguments: {} },
        });
        await expect.poll(() => answers.length).toBe(2);
        await client.close();
        return (answers[1] as unknown as { result: CallToolResult }).result.content[0];
      };
      expect(await blockOf("2024-11-05")).toEqual({
        type: "text",
        text: expect.stringMatching(/^\[audio, audio\/wav, \d+ bytes\]$/),
      });
      expect((await blockOf("2025-03-26"))?.type).toBe("audio");
    } finally {
      await ctx.close();
    }
  });
});
