import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPipes } from "./testing/pipes.js";

// Tasks over stdio in 2026-07-28 (MCP's tasks extension), with the conformance fixture tools.

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({ CONFORMANCE_FIXTURES: "true" });
});
afterAll(() => ctx.close());

const _meta = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {
    elicitation: {},
    extensions: { "io.modelcontextprotocol/tasks": {} },
  },
};

describe("tasks over stdio (2026-07-28)", () => {
  it("starts a task, shows its question, takes the answer and ends with the result", async () => {
    const { service, send, answerTo } = await connectPipes(ctx);
    let id = 1;
    const request = async (method: string, params: Record<string, unknown>) => {
      const sent = id++;
      send({ id: sent, method, params: { ...params, _meta } });
      await expect.poll(() => answerTo(sent)).toBeDefined();
      return answerTo(sent)?.result ?? {};
    };
    try {
      const created = await request("tools/call", {
        name: "confirm_delete",
        arguments: { filename: "a.txt" },
      });
      expect(created).toMatchObject({ resultType: "task", status: "working" });
      const taskId = String(created.taskId);
      await expect.poll(async () => (await request("tasks/get", { taskId })).status).toBe("input_required");
      const asked = (await request("tasks/get", { taskId })).inputRequests as Record<string, unknown>;
      expect(Object.keys(asked)).toEqual(["confirm"]);
      const ack = await request("tasks/update", {
        taskId,
        inputResponses: { confirm: { action: "accept", content: { confirm: true } } },
      });
      expect(ack).toMatchObject({ resultType: "complete" });
      await expect.poll(async () => (await request("tasks/get", { taskId })).status).toBe("completed");
      expect((await request("tasks/get", { taskId })).result).toMatchObject({
        content: [{ type: "text", text: "a.txt would be deleted" }],
      });
    } finally {
      await service.stop();
    }
  });
});
