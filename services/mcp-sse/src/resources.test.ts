import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODERN } from "./testing/modern.js";
import { connectSse, connectStreamable, startTestServer, type TestServer } from "./testing.js";

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

interface ResourceClient {
  listResources(): Promise<{ resources: Array<{ uri: string }> }>;
  listResourceTemplates(): Promise<{ resourceTemplates: Array<{ uriTemplate: string }> }>;
  readResource(params: { uri: string }): Promise<{ contents: Array<{ uri: string; text?: string }> }>;
  complete(params: {
    ref: { type: "ref/resource"; uri: string };
    argument: { name: string; value: string };
  }): Promise<{ completion: { values: string[] } }>;
  close(): Promise<void>;
}

async function modern(url: string): Promise<ResourceClient> {
  const client = new Client(
    { name: "resources", version: "1" },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  expect(client.getProtocolEra()).toBe("modern");
  return client as unknown as ResourceClient;
}

const clients = [
  { name: "SDK v2 on /mcp, 2026-07-28", connect: modern, notFound: -32602 },
  { name: "SDK v1 on /mcp, 2025-11-25", connect: connectStreamable, notFound: -32002 },
  { name: "SDK v1 on /sse, 2024-11-05", connect: connectSse, notFound: -32002 },
];

describe("notes as resources, in every HTTP era", () => {
  it.each(clients)(
    "$name lists, completes, reads, and is told what is not found",
    async ({ connect, notFound }) => {
      const client = (await connect(server.url)) as ResourceClient;
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
