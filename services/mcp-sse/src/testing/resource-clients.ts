import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { expect } from "vitest";
import { connectSse, connectStreamable } from "../testing.js";
import { MODERN } from "./modern.js";

/** What the resource tests ask of a client, whichever SDK and era it is. */
export interface ResourceClient {
  listResources(): Promise<{ resources: Array<{ uri: string }> }>;
  listResourceTemplates(): Promise<{ resourceTemplates: Array<{ uriTemplate: string }> }>;
  readResource(params: { uri: string }): Promise<{ contents: Array<{ uri: string; text?: string }> }>;
  complete(params: {
    ref: { type: "ref/resource"; uri: string };
    argument: { name: string; value: string };
  }): Promise<{ completion: { values: string[]; hasMore?: boolean; total?: number } }>;
  close(): Promise<void>;
}

async function connectModern(url: string): Promise<ResourceClient> {
  const client = new Client(
    { name: "resources", version: "1" },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  expect(client.getProtocolEra()).toBe("modern");
  return client as unknown as ResourceClient;
}

/** A client of each HTTP era, and the code each is told a missing resource with. */
export const resourceClients: Array<{
  name: string;
  connect: (url: string) => Promise<ResourceClient>;
  notFound: number;
}> = [
  { name: "SDK v2 on /mcp, 2026-07-28", connect: connectModern, notFound: -32602 },
  {
    name: "SDK v1 on /mcp, 2025-11-25",
    connect: async (url) => (await connectStreamable(url)) as unknown as ResourceClient,
    notFound: -32002,
  },
  {
    name: "SDK v1 on /sse, 2024-11-05",
    connect: async (url) => (await connectSse(url)) as unknown as ResourceClient,
    notFound: -32002,
  },
];
