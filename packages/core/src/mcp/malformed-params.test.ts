import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { createTestContext } from "../testing/context.js";
import { localPrincipal } from "./principal.js";
import { createMcpServer } from "./server.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** Sends one raw request to a fresh server and resolves to its answer. */
async function ask(method: string, params: unknown): Promise<Record<string, unknown>> {
  const [client, server] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(server);
  const answer = new Promise<Record<string, unknown>>((resolve) => {
    client.onmessage = (message) => resolve(message as Record<string, unknown>);
  });
  await client.start();
  await client.send({ jsonrpc: "2.0", id: 1, method, params } as JSONRPCMessage);
  const result = await answer;
  await client.close();
  return result;
}

describe("requests with malformed params", () => {
  it.each([
    [
      "tools/call",
      { name: "echo", arguments: ["text", "hi"] },
      /Invalid params for tools\/call: arguments: /,
    ],
    ["tools/call", { arguments: {} }, /Invalid params for tools\/call: name: /],
    ["tools/call", { name: 7 }, /Invalid params for tools\/call: name: /],
    ["tools/list", { cursor: { not: "a string" } }, /Invalid params for tools\/list: cursor: /],
    [
      "initialize",
      { protocolVersion: 2025, capabilities: {}, clientInfo: {} },
      /Invalid params for initialize: /,
    ],
  ])("answers %s %j with -32602 and one line naming the field", async (method, params, message) => {
    const { error } = (await ask(method, params)) as { error: { code: number; message: string } };
    expect(error.code).toBe(-32602);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
    expect(error.message.length).toBeLessThan(300);
  });

  it("still answers well-formed requests, and tool arguments that break the tool's schema as a tool error", async () => {
    expect(await ask("tools/call", { name: "echo", arguments: { text: "hi" } })).toMatchObject({
      result: { structuredContent: { text: "hi" } },
    });
    expect(await ask("tools/call", { name: "echo", arguments: { text: 5 } })).toMatchObject({
      result: { isError: true },
    });
  });
});
