import { builtinTools, defineTool } from "@mcp-tools/core";
import { countTool } from "@mcp-tools/core/testing";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MODERN, modernRequest, postModern } from "./testing/modern.js";
import {
  connectSse,
  connectStreamable,
  messagesOf,
  readUntil,
  startTestServer,
  type TestServer,
} from "./testing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { tools: [...builtinTools, countTool] });
});
afterAll(() => server.close());

interface Reported {
  progress: number;
  total?: number;
  message?: string;
}

type CallWithProgress = (onprogress: (progress: Reported) => void) => Promise<unknown>;

async function modernClient(url: string): Promise<{ call: CallWithProgress; close(): Promise<void> }> {
  const client = new Client(
    { name: "progress", version: "1" },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  expect(client.getProtocolEra()).toBe("modern");
  return {
    call: (onprogress) => client.callTool({ name: "count", arguments: { steps: 3 } }, { onprogress }),
    close: () => client.close(),
  };
}

// SDK v1 clients handle a notification a microtask after reading it, but a response at once: a last
// report read together with the response reaches no `onprogress` (the request is over by then).
// So the notifications are read as they arrive, in the order they came.
async function v1Client(connect: () => Promise<Awaited<ReturnType<typeof connectSse>>>) {
  const client = await connect();
  let report: (progress: Reported) => void = () => {};
  client.setNotificationHandler(ProgressNotificationSchema, ({ params: { progressToken: _, ...progress } }) =>
    report(progress),
  );
  return {
    call: ((onprogress) => {
      report = onprogress;
      return client.callTool({ name: "count", arguments: { steps: 3 } }, undefined, { onprogress: () => {} });
    }) as CallWithProgress,
    close: () => client.close(),
  };
}

const clients = [
  { name: "SDK v2 on /mcp, 2026-07-28", connect: (url: string) => modernClient(url) },
  { name: "SDK v1 on /mcp, 2025-11-25", connect: (url: string) => v1Client(() => connectStreamable(url)) },
  { name: "SDK v1 on /sse, 2024-11-05", connect: (url: string) => v1Client(() => connectSse(url)) },
];

describe("a tool's progress reaches the client that asked for it", () => {
  it.each(clients)("$name: each growing step, in order, before the result", async ({ connect }) => {
    const client = await connect(server.url);
    try {
      const reported: Reported[] = [];
      const result = await client.call((progress) => reported.push(progress));
      expect(result).toMatchObject({ structuredContent: { counted: 3 } });
      expect(reported).toEqual(
        [1, 2, 3].map((step) => ({ progress: step, total: 3, message: `step ${step} of 3` })),
      );
    } finally {
      await client.close();
    }
  });

  it("answers a 2026-07-28 call with an SSE stream only when it carries a progress token", async () => {
    const call = (meta: Record<string, unknown>) =>
      modernRequest(1, "tools/call", { name: "count", arguments: { steps: 2 } }, MODERN, meta);
    const plain = await postModern(server.url, call({}));
    expect(plain.headers.get("content-type")).toBe("application/json");
    expect(await plain.json()).toMatchObject({ result: { structuredContent: { counted: 2 } } });

    const asked = await postModern(server.url, call({ progressToken: "p-1" }));
    expect(asked.headers.get("content-type")).toBe("text/event-stream");
    const messages = await messagesOf(asked);
    expect(messages).toEqual([
      expect.objectContaining({
        method: "notifications/progress",
        params: expect.objectContaining({ progressToken: "p-1", progress: 1 }),
      }),
      expect.objectContaining({
        method: "notifications/progress",
        params: expect.objectContaining({ progressToken: "p-1", progress: 2 }),
      }),
      expect.objectContaining({
        id: 1,
        result: expect.objectContaining({ structuredContent: { counted: 2 } }),
      }),
    ]);
  });
});

describe("a tool's log messages reach the client that asked for them, at its level", () => {
  const infoFromCount = [1, 2, 3].map((step) => ({ level: "info", logger: "count", data: { step } }));

  it.each([
    { name: "SDK v1 on /mcp, 2025-11-25", connect: connectStreamable },
    { name: "SDK v1 on /sse, 2024-11-05", connect: connectSse },
  ])("$name: none before logging/setLevel, then those at its level and above", async ({ connect }) => {
    const client = await connect(server.url);
    try {
      const received: unknown[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, ({ params }) => {
        received.push(params);
      });
      const count = () => client.callTool({ name: "count", arguments: { steps: 3 } });
      await count();
      expect(received).toEqual([]);
      await client.setLoggingLevel("info");
      await count();
      expect(received).toEqual(infoFromCount);
    } finally {
      await client.close();
    }
  });

  it("2026-07-28: none without the request's logLevel, then those at its level and above", async () => {
    const call = (meta: Record<string, unknown>) =>
      modernRequest(1, "tools/call", { name: "count", arguments: { steps: 3 } }, MODERN, meta);
    const logsOf = async (response: Response) =>
      (await messagesOf(response)).filter((message) => message.method === "notifications/message");
    expect(await logsOf(await postModern(server.url, call({})))).toEqual([]);
    const debug = await logsOf(
      await postModern(server.url, call({ "io.modelcontextprotocol/logLevel": "debug" })),
    );
    expect(debug).toHaveLength(6);
    const info = await logsOf(
      await postModern(server.url, call({ "io.modelcontextprotocol/logLevel": "info" })),
    );
    expect(info.map((message) => message.params)).toEqual(infoFromCount);
  });
});

describe("a 2026-07-28 call answered with a stream ends when its client closes the stream", () => {
  it("cancels the tool and frees the caller's in-flight place", async () => {
    let aborted = false;
    const waitTool = defineTool({
      name: "wait_for_cancel",
      title: "Wait",
      description: "Reports a start, then waits until its call is cancelled.",
      input: z.object({}).strict(),
      output: z.object({ ended: z.boolean() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run(ctx) {
        ctx.progress(1, undefined, "started");
        await new Promise<void>((resolve) =>
          ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
        );
        aborted = true;
        return { ended: true };
      },
    });
    // One call in flight per caller: the next is admitted only once the first has ended.
    const limited = await startTestServer(
      { MAX_IN_FLIGHT_CALLS: "1", MAX_BATCH_MESSAGES: "1", TOOL_TIMEOUT_MS: "60000" },
      { tools: [...builtinTools, waitTool] },
    );
    try {
      const controller = new AbortController();
      const request = modernRequest(1, "tools/call", { name: "wait_for_cancel", arguments: {} }, MODERN, {
        progressToken: "w",
      });
      const response = await fetch(`${limited.url}/mcp`, {
        method: "POST",
        headers: request.headers,
        body: JSON.stringify(request.body),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      if (!reader) throw new Error("no stream");
      await readUntil(reader, (text) => text.includes("started"));
      const refused = await postModern(
        limited.url,
        modernRequest(2, "tools/call", { name: "echo", arguments: { text: "x" } }),
      );
      expect(refused.status).toBe(429);
      controller.abort();
      await expect.poll(() => aborted, { timeout: 2_000 }).toBe(true);
      const admitted = async () =>
        (
          await postModern(
            limited.url,
            modernRequest(3, "tools/call", { name: "echo", arguments: { text: "x" } }),
          )
        ).status;
      await expect.poll(admitted, { timeout: 2_000 }).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
