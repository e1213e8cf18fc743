import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceClients } from "./testing/resource-clients.js";
import { connectStreamable, startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
let uri: string;
beforeAll(async () => {
  server = await startTestServer();
  const writer = await connectStreamable(server.url);
  const saved = await writer.callTool({
    name: "note_save",
    arguments: { title: "Runbook", body: "Restart the thing.", tags: ["ops"] },
  });
  await writer.close();
  uri = `notes://${(saved.structuredContent as { id: string }).id}`;
});
afterAll(() => server.close());

describe("notes as resources, in every HTTP era", () => {
  it.each(resourceClients)(
    "$name lists, completes, reads, and is told what is not found",
    async ({ connect, notFound }) => {
      const client = await connect(server.url);
      try {
        expect((await client.listResources()).resources.map((resource) => resource.uri)).toContain(uri);
        expect((await client.listResourceTemplates()).resourceTemplates).toEqual([
          expect.objectContaining({ uriTemplate: "notes://{id}" }),
          expect.objectContaining({ uriTemplate: "notes://tagged/{tag}" }),
        ]);
        const { contents } = await client.readResource({ uri });
        expect(contents).toEqual([
          expect.objectContaining({ uri, text: expect.stringContaining("Restart the thing.") }),
        ]);
        const completed = await client.complete({
          ref: { type: "ref/resource", uri: "notes://{id}" },
          argument: { name: "id", value: "runb" },
        });
        expect(completed.completion.values).toEqual([uri.slice("notes://".length)]);
        const missing = `notes://${crypto.randomUUID()}`;
        await expect(client.readResource({ uri: missing })).rejects.toMatchObject({
          code: notFound,
          data: { uri: missing },
        });
      } finally {
        await client.close();
      }
    },
  );
});
