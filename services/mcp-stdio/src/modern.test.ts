import { type AppContext, auditLog, builtinTools, defineTool, updateToolSettings } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectPipes } from "./testing/pipes.js";

// Waits for its call to be cancelled: what a client's notifications/cancelled must end.
const waitForCancel = defineTool({
  name: "wait_for_cancel",
  title: "Wait for cancel",
  description: "Runs until its call is cancelled",
  input: z.object({}),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  run: (tool) =>
    new Promise((_, reject) => tool.signal.addEventListener("abort", () => reject(tool.signal.reason))),
});

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({}, { tools: [...builtinTools, waitForCancel] });
});
afterAll(() => ctx.close());

const _meta = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
};

describe("stdio, MCP 2026-07-28", () => {
  it("answers messages sent together while the era's code loads, in order, then hands over to initialize", async () => {
    const { service, send, received, answerTo } = await connectPipes(ctx);
    // One chunk: the first line pauses the reader while the era's code loads.
    send(
      { id: 1, method: "server/discover", params: { _meta } },
      { id: 2, method: "tools/list", params: { _meta } },
      {
        id: 3,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      },
    );
    await expect.poll(() => received.length).toBe(3);
    expect(answerTo(1)?.result).toHaveProperty("supportedVersions");
    expect(answerTo(2)?.result?.tools).toContainEqual(expect.objectContaining({ name: "echo" }));
    expect(answerTo(3)?.result).toMatchObject({ protocolVersion: "2025-11-25" });
    await service.stop();
  });

  it("ends a call on notifications/cancelled: nothing more is sent for it, and the audit says cancelled", async () => {
    const { service, send, received, answerTo } = await connectPipes(ctx);
    send({ id: "slow", method: "tools/call", params: { _meta, name: "wait_for_cancel", arguments: {} } });
    await expect.poll(() => ctx.lifecycle.inFlight).toBe(1);
    send({ method: "notifications/cancelled", params: { _meta, requestId: "slow" } });
    await expect.poll(() => ctx.lifecycle.inFlight).toBe(0);
    send({
      id: "after",
      method: "tools/call",
      params: { _meta, name: "echo", arguments: { text: "still here" } },
    });
    await expect.poll(() => answerTo("after")).toBeDefined();
    expect(answerTo("slow")).toBeUndefined();
    expect(received).toHaveLength(1);
    await ctx.audit.flush(5_000);
    const rows = await ctx.db.db.select().from(auditLog);
    expect(rows.filter((row) => row.tool === "wait_for_cancel").map((row) => row.outcome)).toEqual([
      "cancelled",
    ]);
    await service.stop();
  });

  it("streams list changes to a subscription and ends it with its closing response when it stops", async () => {
    const { service, send, received, answerTo } = await connectPipes(ctx);
    send({
      id: "sub",
      method: "subscriptions/listen",
      params: { _meta, notifications: { toolsListChanged: true } },
    });
    await expect.poll(() => received[0]?.method).toBe("notifications/subscriptions/acknowledged");
    await updateToolSettings(ctx, "note_delete", { enabled: false }, "alice");
    await expect
      .poll(() => received.find((message) => message.method === "notifications/tools/list_changed"))
      .toMatchObject({ params: { _meta: { "io.modelcontextprotocol/subscriptionId": "sub" } } });
    expect(answerTo("sub")).toBeUndefined();
    await service.stop();
    expect(answerTo("sub")).toMatchObject({ result: expect.any(Object) });
    await updateToolSettings(ctx, "note_delete", { enabled: true }, "alice");
  });
});
