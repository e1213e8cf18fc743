import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import {
  type ConnectedClient,
  coreClient,
  type EraTranscript,
  expectListFollowsSettings,
  runEraScenario,
} from "@mcp-tools/core/testing/era-scenario";
import { Client, type ClientOptions } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioClientTransportV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "./start.js";

const MODERN = "2026-07-28";
const info = { name: "era-matrix", version: "1" };
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
// Warnings and errors only, to the test's own stderr: a server that fails to start says why there.
const server = {
  command: process.execPath,
  args: ["--import", "tsx", main],
  env: { PATH: process.env.PATH ?? "", DATA_DIR: "memory://", LOG_LEVEL: "warn" },
  stderr: "inherit" as const,
};

// SDK v2 sends a StdioClientTransport's server/discover probe to a sibling process it spawns and
// ends, but a subclass's to the server itself: the pinned client probes in place, the negotiating
// one through a sibling, so both paths are covered, for one spawn fewer.
class ProbeInPlace extends StdioClientTransport {}

let ctx: AppContext;
// What the call wrapper answers with no protocol between: what every client must be given.
let reference: EraTranscript;
beforeAll(async () => {
  ctx = await createTestContext();
  reference = await runEraScenario(coreClient(ctx), { settings: ctx });
});
afterAll(() => ctx.close());

interface ClientCase {
  name: string;
  era?: "modern" | "legacy";
  connect(): Promise<ConnectedClient>;
}

type Negotiation = ClientOptions["versionNegotiation"];
type ClientTransport = Parameters<Client["connect"]>[0];

// A client that follows tool changes, as an MCP host does; on 2026-07-28 that opens subscriptions/listen.
const listChanged: ClientOptions["listChanged"] = { tools: { onChanged: () => {} } };

async function connectV2(transport: ClientTransport, versionNegotiation: Negotiation, stop = async () => {}) {
  const client = new Client(info, { versionNegotiation, listChanged });
  await client.connect(transport);
  return { client, era: client.getProtocolEra(), close: () => closeBoth(client, stop) };
}

async function connectV1(transport: Parameters<ClientV1["connect"]>[0], stop = async () => {}) {
  const client = new ClientV1(info);
  await client.connect(transport);
  return { client, close: () => closeBoth(client, stop) };
}

async function closeBoth(client: { close(): Promise<void> }, stop: () => Promise<void>) {
  await client.close();
  await stop();
}

/** A server on this test's context, over a pair of pipes: the one place a test can disable a tool. */
async function inProcess() {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const service = await start(ctx, { input: toServer, output: fromServer });
  // Newline-delimited JSON either way: the server's transport, pointed the other way, is a client's.
  return { transport: new StdioServerTransport(fromServer, toServer), stop: () => service.stop() };
}

// A stdio server serves one client for its life: each row spawns its own (tsx and an embedded
// database: a second or more). None can share this test's database, so the disabled-tool step runs
// on servers in this process.
const spawned: ClientCase[] = [
  {
    name: "SDK v2 pinned to 2026-07-28",
    era: "modern",
    connect: () => connectV2(new ProbeInPlace(server), { mode: { pin: MODERN } }),
  },
  {
    name: "SDK v2 negotiating (auto)",
    era: "modern",
    connect: () => connectV2(new StdioClientTransport(server), { mode: "auto" }),
  },
  { name: "SDK v1", connect: () => connectV1(new StdioClientTransportV1(server)) },
];

const inProcessClients: ClientCase[] = [
  {
    name: "SDK v2 pinned to 2026-07-28",
    era: "modern",
    async connect() {
      const { transport, stop } = await inProcess();
      return connectV2(transport, { mode: { pin: MODERN } }, stop);
    },
  },
  {
    name: "SDK v2 negotiating (auto)",
    era: "modern",
    async connect() {
      const { transport, stop } = await inProcess();
      return connectV2(transport, { mode: "auto" }, stop);
    },
  },
  {
    name: "SDK v2 by default (2025 initialize)",
    era: "legacy",
    async connect() {
      const { transport, stop } = await inProcess();
      return connectV2(transport, undefined, stop);
    },
  },
  {
    name: "SDK v1",
    async connect() {
      const { transport, stop } = await inProcess();
      return connectV1(transport, stop);
    },
  },
];

// A spawn compiles the server with tsx and opens a database: seconds each on a busy machine.
const SPAWNED_TIMEOUT_MS = 90_000;

describe("every stdio era gives the same answers", () => {
  it.each(spawned)(
    "$name, to a spawned server, gets the call wrapper's answers",
    async ({ connect, era }) => {
      const { disabledTool: _, ...expected } = reference;
      const connected = await connect();
      try {
        expect(connected.era).toBe(era);
        expect(await runEraScenario(connected.client)).toEqual(expected);
      } finally {
        await connected.close();
      }
    },
    SPAWNED_TIMEOUT_MS,
  );

  it.each(inProcessClients)(
    "$name, to a server on this test's context, gets them, a disabled tool's included",
    async ({ connect, era }) => {
      const connected = await connect();
      try {
        expect(connected.era).toBe(era);
        expect(await runEraScenario(connected.client, { settings: ctx })).toEqual(reference);
      } finally {
        await connected.close();
      }
    },
  );

  it.each(inProcessClients)(
    "$name, to a server on this test's context, stops listing a tool within 1 s of its being disabled",
    async ({ connect }) => {
      const connected = await connect();
      try {
        await expectListFollowsSettings(connected.client, ctx);
      } finally {
        await connected.close();
      }
    },
  );
});
