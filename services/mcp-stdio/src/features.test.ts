import { PassThrough } from "node:stream";
import { type AppContext, builtinTools, savePrompt } from "@mcp-tools/core";
import { createAskTool, createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/client";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "./start.js";

const ask = createAskTool();
let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({}, { tools: [...builtinTools, ask.tool] });
});
afterAll(() => ctx.close());

describe("resources, prompts and questions over stdio in 2026-07-28 (SDK v2 client)", () => {
  it("reads a note as a resource, gets a prompt, and answers a tool's questions in rounds", async () => {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const service = await start(ctx, { input: toServer, output: fromServer });
    const client = new Client(
      { name: "stdio-features", version: "1" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } }, capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler("elicitation/create", async (request) => ({
      action: "accept",
      content: (request.params.message === "Why?" ? { reason: "tidy" } : { sure: true }) as Record<
        string,
        string | boolean
      >,
    }));
    await client.connect(new StdioServerTransport(fromServer, toServer));
    try {
      expect(client.getProtocolEra()).toBe("modern");
      const saved = await client.callTool({
        name: "note_save",
        arguments: { title: "Stdio note", body: "over a pipe" },
      });
      const uri = `notes://${(saved.structuredContent as { id: string }).id}`;
      expect((await client.listResources()).resources.map((resource) => resource.uri)).toContain(uri);
      expect((await client.readResource({ uri })).contents[0]).toMatchObject({
        uri,
        mimeType: "text/markdown",
      });

      await savePrompt(ctx, "alice", "hello", { messages: [{ role: "user", text: "Hello over stdio" }] });
      expect(
        (await client.listPrompts(undefined, { cacheMode: "refresh" })).prompts.map((prompt) => prompt.name),
      ).toEqual(["hello"]);
      expect((await client.getPrompt({ name: "hello" })).messages).toEqual([
        { role: "user", content: { type: "text", text: "Hello over stdio" } },
      ]);

      const result = await client.callTool({ name: "confirm", arguments: { action: "Tidy up" } });
      expect(result.structuredContent).toEqual({ action: "Tidy up", confirmed: true, reason: "tidy" });
    } finally {
      await client.close();
      await service.stop();
    }
  });
});
