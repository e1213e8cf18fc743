import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceClients } from "./testing/resource-clients.js";
import { connectStreamable, startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
let tagged: string[];
beforeAll(async () => {
  server = await startTestServer();
  const writer = await connectStreamable(server.url);
  tagged = [];
  for (const [title, tags] of [
    ["Standup notes", ["work", "meetings"]],
    ["Groceries", ["home"]],
    ["Quarterly plan", ["Work"]],
  ] as const) {
    const saved = await writer.callTool({
      name: "note_save",
      arguments: { title, body: "…", tags: [...tags] },
    });
    if (tags.some((tag) => tag.toLowerCase() === "work"))
      tagged.unshift(`notes://${(saved.structuredContent as { id: string }).id}`);
  }
  await writer.close();
});
afterAll(() => server.close());

describe("notes by tag, in every HTTP era", () => {
  it.each(resourceClients)(
    "$name completes a tag and reads its notes, newest first",
    async ({ connect, notFound }) => {
      const client = await connect(server.url);
      try {
        expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual([
          "notes://{id}",
          "notes://tagged/{tag}",
        ]);
        const completed = await client.complete({
          ref: { type: "ref/resource", uri: "notes://tagged/{tag}" },
          argument: { name: "tag", value: "wo" },
        });
        expect(completed.completion).toEqual({ values: ["work"], hasMore: false, total: 1 });

        const uri = "notes://tagged/work";
        const { contents } = await client.readResource({ uri });
        expect(contents).toEqual([expect.objectContaining({ uri, mimeType: "text/markdown" })]);
        const text = contents[0]?.text ?? "";
        expect(text).toMatch(/^# Notes tagged #work\n/);
        expect([...text.matchAll(/\]\((notes:\/\/[^)]+)\)/g)].map((match) => match[1])).toEqual(tagged);
        expect(text).toContain("[Quarterly plan]");
        expect(text).not.toContain("Groceries");

        const unused = "notes://tagged/holidays";
        await expect(client.readResource({ uri: unused })).rejects.toMatchObject({
          code: notFound,
          data: { uri: unused },
        });
      } finally {
        await client.close();
      }
    },
  );
});
