import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { z } from "zod";
import type { AppContext } from "../../context.js";
import { localPrincipal } from "../../mcp/principal.js";
import { createMcpServer } from "../../mcp/server.js";
import { createTestContext } from "../../testing/context.js";
import { createTestDatabase, realServiceUrl, type TestDatabase } from "../../testing/services.js";
import type { AnyTool } from "../define.js";

/** A real SDK client talking to a server over one test database. Test-only. */
export interface NotesHarness {
  ctx(): AppContext;
  client(): Client;
  call(tool: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls `tool`, expects success and returns its structured output, typed by the tool's schema. */
  ok<T extends AnyTool>(tool: T, args: Record<string, unknown>): Promise<z.output<T["output"]>>;
  /** Calls `tool`, expects an isError result and returns its text. */
  error(tool: string, args: Record<string, unknown>): Promise<string>;
}

function createHarness(
  open: () => Promise<{ ctx: AppContext; dispose?: () => Promise<void> }>,
): NotesHarness {
  let ctx: AppContext | undefined;
  let client: Client | undefined;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ ctx, dispose } = await open());
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
    client = new Client({ name: "notes-test", version: "1" });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
    await ctx?.close();
    await dispose?.();
  });
  const call = async (tool: string, args: Record<string, unknown>) => {
    if (!client) throw new Error("harness used outside a test");
    return (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
  };
  return {
    ctx() {
      if (!ctx) throw new Error("harness used outside a test");
      return ctx;
    },
    client() {
      if (!client) throw new Error("harness used outside a test");
      return client;
    },
    call,
    async ok(tool, args) {
      const result = await call(tool.name, args);
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      return tool.output.parse(result.structuredContent);
    },
    async error(tool, args) {
      const result = await call(tool, args);
      expect(result.isError).toBe(true);
      return result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
    },
  };
}

const databaseUrl = realServiceUrl("DATABASE_URL");

/** Runs the same `body` against embedded PGlite and, when DATABASE_URL is set, a fresh PostgreSQL database. */
export function describeOnEachDatabase(title: string, body: (harness: NotesHarness) => void): void {
  describe(`${title} (PGlite)`, () => {
    body(createHarness(async () => ({ ctx: await createTestContext() })));
  });
  describe.skipIf(!databaseUrl)(`${title} (PostgreSQL)`, () => {
    body(
      createHarness(async () => {
        const database: TestDatabase = await createTestDatabase(databaseUrl ?? "");
        const ctx = await createTestContext({ DATABASE_URL: database.url }).catch(async (error: unknown) => {
          await database.drop();
          throw error;
        });
        return { ctx, dispose: () => database.drop() };
      }),
    );
  });
}
