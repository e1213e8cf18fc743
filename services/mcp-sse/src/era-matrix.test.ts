import { updateToolSettings } from "@mcp-tools/core";
import {
  type ConnectedClient,
  coreClient,
  type EraTranscript,
  expectListFollowsSettings,
  runEraScenario,
} from "@mcp-tools/core/testing/era-scenario";
import { Client, type ClientOptions, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODERN } from "./testing/modern.js";
import { connectSse, connectStreamable, startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
// What the call wrapper answers with no protocol between: what every client must be given.
let reference: EraTranscript;
beforeAll(async () => {
  server = await startTestServer();
  reference = await runEraScenario(coreClient(server.ctx), { settings: server.ctx });
});
afterAll(() => server.close());

interface ClientCase {
  name: string;
  era?: "modern" | "legacy";
  connect(url: string): Promise<ConnectedClient>;
}

// A client that follows tool changes, as an MCP host does; on 2026-07-28 that opens subscriptions/listen.
const followChanges: ClientOptions["listChanged"] = { tools: { onChanged: () => {} } };

async function connectV2(
  url: string,
  versionNegotiation?: ClientOptions["versionNegotiation"],
  { listening = true } = {},
) {
  const listChanged = listening ? followChanges : undefined;
  const client = new Client({ name: "era-matrix", version: "1" }, { versionNegotiation, listChanged });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return { client, era: client.getProtocolEra(), close: () => client.close() };
}

const v1 = (client: Awaited<ReturnType<typeof connectSse>>): ConnectedClient => ({
  client,
  close: () => client.close(),
});

const clients: ClientCase[] = [
  {
    name: "SDK v2 pinned to 2026-07-28 on /mcp",
    era: "modern",
    connect: (url) => connectV2(url, { mode: { pin: MODERN } }),
  },
  {
    name: "SDK v2 negotiating (auto) on /mcp",
    era: "modern",
    connect: (url) => connectV2(url, { mode: "auto" }),
  },
  { name: "SDK v2 by default (2025 initialize) on /mcp", era: "legacy", connect: (url) => connectV2(url) },
  { name: "SDK v1 on /mcp", connect: async (url) => v1(await connectStreamable(url, "era-matrix")) },
  { name: "SDK v1 on /sse + /messages", connect: async (url) => v1(await connectSse(url, "era-matrix")) },
];

describe("every HTTP era gives the same answers", () => {
  it.each(clients)("$name gets the call wrapper's answers", async ({ connect, era }) => {
    const connected = await connect(server.url);
    try {
      expect(connected.era).toBe(era);
      expect(await runEraScenario(connected.client, { settings: server.ctx })).toEqual(reference);
    } finally {
      await connected.close();
    }
  });

  it.each(clients)("$name stops listing a tool within 1 s of its being disabled", async ({ connect }) => {
    const connected = await connect(server.url);
    try {
      await expectListFollowsSettings(connected.client, server.ctx);
    } finally {
      await connected.close();
    }
  });

  // A difference between the eras, by design: 2026-07-28 lets a client cache tools/list for the ttlMs the
  // server gives (10 s here), and only a list_changed on a subscription ends that early. A 2025 client
  // that lists again is answered afresh, whether or not it listens.
  it("a 2026-07-28 client that does not listen keeps listing a disabled tool until its cached list expires", async () => {
    const pinned = { mode: { pin: MODERN } } as const;
    const deaf = await connectV2(server.url, pinned, { listening: false });
    const listening = await connectV2(server.url, pinned);
    const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name);
    try {
      await expect(deaf.client.listTools()).resolves.toMatchObject({ ttlMs: 10_000 });
      expect(await names(listening.client)).toContain("echo");
      await updateToolSettings(server.ctx, "echo", { enabled: false }, "era-matrix");
      // Once the listening client has heard of the change, the other one had its chance to.
      await expect.poll(() => names(listening.client), { timeout: 1_000 }).not.toContain("echo");
      expect(await names(deaf.client)).toContain("echo");
      const fresh = await deaf.client.listTools(undefined, { cacheMode: "refresh" });
      expect(fresh.tools.map((tool) => tool.name)).not.toContain("echo");
    } finally {
      await updateToolSettings(server.ctx, "echo", { enabled: true }, "era-matrix");
      await Promise.all([deaf.close(), listening.close()]);
    }
  });
});
