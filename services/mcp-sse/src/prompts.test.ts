import { savePrompt, setPromptEnabled } from "@mcp-tools/core";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODERN } from "./testing/modern.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("prompts in 2026-07-28 (SDK v2 client)", () => {
  it("lists and gets the library's prompts, and hears of changes on its subscription", async () => {
    let changed = 0;
    const client = new Client(
      { name: "prompts", version: "1" },
      {
        versionNegotiation: { mode: { pin: MODERN } },
        listChanged: {
          prompts: {
            onChanged: () => {
              changed += 1;
            },
          },
        },
      },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
    try {
      await savePrompt(server.ctx, "alice", "greet", {
        arguments: [{ name: "who", required: true }],
        messages: [{ role: "user", text: "Say hello to {{who}}." }],
      });
      await expect.poll(() => changed, { timeout: 2_000 }).toBeGreaterThan(0);
      const listed = await client.listPrompts(undefined, { cacheMode: "refresh" });
      expect(listed.prompts.map((prompt) => prompt.name)).toEqual(["greet"]);
      const got = await client.getPrompt({ name: "greet", arguments: { who: "Ada" } });
      expect(got.messages).toEqual([{ role: "user", content: { type: "text", text: "Say hello to Ada." } }]);
      await expect(client.getPrompt({ name: "greet", arguments: {} })).rejects.toMatchObject({
        code: -32602,
      });

      const before = changed;
      await setPromptEnabled(server.ctx, "alice", "greet", false);
      await expect.poll(() => changed, { timeout: 2_000 }).toBeGreaterThan(before);
      expect((await client.listPrompts(undefined, { cacheMode: "refresh" })).prompts).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("completes a saved prompt's argument from its suggested values", async () => {
    const client = new Client(
      { name: "prompts", version: "1" },
      { versionNegotiation: { mode: { pin: MODERN } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
    try {
      await savePrompt(server.ctx, "alice", "translate", {
        arguments: [{ name: "language", suggestions: ["French", "Frisian", "Old French", "German"] }],
        messages: [{ role: "user", text: "Translate into {{language}}." }],
      });
      const { completion } = await client.complete({
        ref: { type: "ref/prompt", name: "translate" },
        argument: { name: "language", value: "fr" },
      });
      expect(completion).toEqual({ values: ["French", "Frisian", "Old French"], hasMore: false, total: 3 });
    } finally {
      await client.close();
    }
  });
});
