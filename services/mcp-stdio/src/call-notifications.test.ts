import { PassThrough } from "node:stream";
import { type AppContext, builtinTools } from "@mcp-tools/core";
import { countTool, createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/client";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "./start.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({}, { tools: [...builtinTools, countTool] });
});
afterAll(() => ctx.close());

interface Reported {
  progress: number;
  total?: number;
  message?: string;
}

/** A server on this test's context over a pair of pipes, and the client end of them. */
async function inProcess() {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const service = await start(ctx, { input: toServer, output: fromServer });
  return { transport: new StdioServerTransport(fromServer, toServer), stop: () => service.stop() };
}

const expected = [1, 2, 3].map((step) => ({ progress: step, total: 3, message: `step ${step} of 3` }));
const count = { name: "count", arguments: { steps: 3 } };

describe("a tool's progress reaches a stdio client that asked for it", () => {
  it("SDK v2 pinned to 2026-07-28: each growing step, in order, before the result", async () => {
    const { transport, stop } = await inProcess();
    const client = new Client(
      { name: "progress", version: "1" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(transport);
    try {
      expect(client.getProtocolEra()).toBe("modern");
      const reported: Reported[] = [];
      const result = await client.callTool(count, { onprogress: (progress) => reported.push(progress) });
      expect(result).toMatchObject({ structuredContent: { counted: 3 } });
      expect(reported).toEqual(expected);
      // Without a token, no report is sent.
      await expect(client.callTool(count)).resolves.toMatchObject({ structuredContent: { counted: 3 } });
    } finally {
      await client.close();
      await stop();
    }
  });

  it("SDK v1 (2025-11-25): each growing step, in order, before the result; log messages once asked for", async () => {
    const { transport, stop } = await inProcess();
    const client = new ClientV1({ name: "progress", version: "1" });
    await client.connect(transport);
    try {
      // Read as they arrive: SDK v1 hands a last report read with the response to no `onprogress`.
      const reported: Reported[] = [];
      client.setNotificationHandler(
        ProgressNotificationSchema,
        ({ params: { progressToken: _, ...progress } }) => {
          reported.push(progress);
        },
      );
      const result = await client.callTool(count, undefined, { onprogress: () => {} });
      expect(result).toMatchObject({ structuredContent: { counted: 3 } });
      expect(reported).toEqual(expected);
      await client.callTool(count);
      expect(reported).toHaveLength(3);

      // Log messages: none until the client sets a level, then those at it and above.
      const logged: unknown[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, ({ params }) => {
        logged.push(params);
      });
      await client.callTool(count);
      expect(logged).toEqual([]);
      await client.setLoggingLevel("info");
      await client.callTool(count);
      expect(logged).toEqual([1, 2, 3].map((step) => ({ level: "info", logger: "count", data: { step } })));
    } finally {
      await client.close();
      await stop();
    }
  });
});
