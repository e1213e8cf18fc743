import { auditLog, createApiKey } from "@mcp-tools/core";
import { createTestDatabase, realServiceUrl, type TestDatabase, uniquePrefix } from "@mcp-tools/core/testing";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  EmptyResultSchema,
  RELATED_TASK_META_KEY,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStreamable, mcpHeaders, messagesOf, startTestServer, type TestServer } from "./testing.js";

// Tool calls as tasks in MCP 2025-11-25 sessions (the SDK v1 server), through the real HTTP app and
// the SDK v1 client's task API, on the conformance fixtures: slow_compute (optional), failing_job,
// protocol_error_job and confirm_delete (required), greet (never a task).

const fixtures = { CONFORMANCE_FIXTURES: "true" };
const taskClient = { tasks: { list: {}, cancel: {} }, elicitation: {} };
const connect = (url: string, token?: string) => connectStreamable(url, "tasks-2025", token, taskClient);

/** Starts a tool as a task, with `params.task` as the SDK sends it; resolves to the task. */
async function startTask(client: Client, name: string, args: Record<string, unknown>) {
  const params = { name, arguments: args };
  const created = await client.request({ method: "tools/call", params }, CreateTaskResultSchema, {
    task: { ttl: 60_000 },
  });
  return created.task;
}

/** The JSON-RPC error a request was refused with. */
const refusal = (request: Promise<unknown>) =>
  request.then(
    (result) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
    },
    (error: { code?: number; message?: string }) => ({ code: error.code, message: error.message }),
  );

/** Everything a task-augmented call's stream yields, in order. */
async function streamed(client: Client, name: string, args: Record<string, unknown>) {
  const messages = [];
  for await (const message of client.experimental.tasks.callToolStream({ name, arguments: args }))
    messages.push(message);
  return messages;
}

/** Answers every form it is shown with `content`; keeps what it was asked. */
function answerForms(client: Client, content: Record<string, unknown>) {
  const asked: Array<{ message: string; meta: unknown }> = [];
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    asked.push({ message: request.params.message, meta: request.params._meta?.[RELATED_TASK_META_KEY] });
    return { action: "accept", content };
  });
  return asked;
}

describe("tasks in a 2025-11-25 session (one process)", () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await startTestServer(fixtures);
    client = await connect(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("advertises tasks and each tool's task support to a 2025-11-25 client", async () => {
    expect(client.getServerCapabilities()?.tasks).toEqual({
      list: {},
      cancel: {},
      requests: { tools: { call: {} } },
    });
    const { tools } = await client.listTools();
    const support = Object.fromEntries(tools.map((tool) => [tool.name, tool.execution?.taskSupport]));
    expect(support).toMatchObject({ slow_compute: "optional", failing_job: "required", greet: undefined });
  });

  it("runs a tool as a task: created working, polled to completion, its result fetched with the task's id", async () => {
    await client.listTools();
    const messages = await streamed(client, "slow_compute", { seconds: 0.2, label: "soon" });
    const [created] = messages;
    expect(created).toMatchObject({
      type: "taskCreated",
      task: { status: "working", ttl: expect.any(Number), pollInterval: 1_000 },
    });
    expect(messages.at(-1)).toMatchObject({
      type: "result",
      result: { content: [{ type: "text", text: "soon: done after 0.2 s" }] },
    });
    const taskId = created?.type === "taskCreated" ? created.task.taskId : "";
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ taskId, status: "completed" });
    const again = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    expect(again).toMatchObject({ content: [{ text: "soon: done after 0.2 s" }], structuredContent: {} });
    expect(again._meta?.[RELATED_TASK_META_KEY]).toEqual({ taskId });
  });

  it("fails a task whose tool returns an error, and tasks/result still gives that result", async () => {
    const task = await startTask(client, "failing_job", {});
    // tasks/result blocks until the task ends (about a second).
    const result = await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
    expect(result).toMatchObject({
      isError: true,
      content: [{ text: "The job failed, as this fixture always does" }],
    });
    expect(await client.experimental.tasks.getTask(task.taskId)).toMatchObject({
      status: "failed",
      statusMessage: "The job failed, as this fixture always does",
    });
  });

  it("answers tasks/result of a task whose tool broke with the call's JSON-RPC error", async () => {
    const task = await startTask(client, "protocol_error_job", {});
    const error = await refusal(client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema));
    expect(error.code).toBe(-32603);
    expect((await client.experimental.tasks.getTask(task.taskId)).status).toBe("failed");
  });

  it("cancels a running task, answering with it cancelled; a task that has ended cannot be cancelled", async () => {
    const task = await startTask(client, "slow_compute", { seconds: 60, label: "long" });
    expect(await client.experimental.tasks.cancelTask(task.taskId)).toMatchObject({
      taskId: task.taskId,
      status: "cancelled",
    });
    expect((await client.experimental.tasks.getTask(task.taskId)).status).toBe("cancelled");
    const again = await refusal(client.experimental.tasks.cancelTask(task.taskId));
    expect(again).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/terminal status 'cancelled'/),
    });
    const result = await refusal(client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema));
    expect(result.message).toMatch(/was cancelled/);
  });

  it("refuses with -32601 a required tool called without a task, and a task asked of a tool that never runs as one", async () => {
    const call = (name: string, args: Record<string, unknown>, task?: { ttl?: number }) =>
      refusal(
        client.request({ method: "tools/call", params: { name, arguments: args } }, CallToolResultSchema, {
          task,
        }),
      );
    expect(await call("failing_job", {})).toMatchObject({
      code: -32601,
      message: expect.stringMatching(/failing_job runs only as a task/),
    });
    expect(await call("greet", { name: "x" }, {})).toMatchObject({
      code: -32601,
      message: expect.stringMatching(/greet does not run as a task/),
    });
    // An unknown tool says so, whether or not a task was asked.
    expect(await call("no_such_tool", {}, {})).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/Unknown tool/),
    });
    // Bad arguments refuse the task before it starts, naming the field.
    expect(await call("slow_compute", { seconds: "soon", label: "x" }, {})).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/seconds/),
    });
  });

  it("asks the client what the task needs on tasks/result, related to the task, and completes with the answer", async () => {
    const asking = await connect(server.url);
    try {
      const asked = answerForms(asking, { confirm: true });
      await asking.listTools();
      const messages = await streamed(asking, "confirm_delete", { filename: "old.txt" });
      const created = messages[0];
      const taskId = created?.type === "taskCreated" ? created.task.taskId : "";
      expect(
        messages.some((message) => message.type === "taskStatus" && message.task.status === "input_required"),
      ).toBe(true);
      expect(messages.at(-1)).toMatchObject({
        type: "result",
        result: { content: [{ text: "old.txt would be deleted" }] },
      });
      expect(asked).toEqual([{ message: "Delete old.txt?", meta: { taskId } }]);
    } finally {
      await asking.close();
    }
  });

  it("lists the caller's tasks, and says not found for a task it does not know", async () => {
    const task = await startTask(client, "slow_compute", { seconds: 0, label: "listed" });
    const { tasks } = await client.experimental.tasks.listTasks();
    expect(tasks.map((listed) => listed.taskId)).toContain(task.taskId);
    expect(await refusal(client.experimental.tasks.getTask("no-such-task"))).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/Task not found/),
    });
  });

  it("says which field of a tasks/* request is malformed, and that an unknown method is not found", async () => {
    const raw = (method: string, params: object) =>
      refusal(client.request({ method, params } as never, EmptyResultSchema));
    expect(await raw("tasks/get", { taskId: 7 })).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/Invalid params for tasks\/get: taskId: .*expected string/),
    });
    expect(await raw("tasks/forget", { taskId: "x" })).toMatchObject({
      code: -32601,
      message: expect.stringMatching(/Method not found/),
    });
  });

  it("offers no tasks to a client of an earlier revision", async () => {
    const post = (body: object, sessionId?: string) =>
      fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: {
          ...mcpHeaders,
          "mcp-protocol-version": "2025-06-18",
          ...(sessionId && { "mcp-session-id": sessionId }),
        },
        body: JSON.stringify({ jsonrpc: "2.0", ...body }),
      });
    const clientInfo = { name: "raw", version: "1" };
    const opened = await post({
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo },
    });
    const sessionId = opened.headers.get("mcp-session-id") ?? "";
    const [initialized] = await messagesOf(opened);
    expect(initialized).toMatchObject({ result: { protocolVersion: "2025-06-18" } });
    expect((initialized?.result as { capabilities?: object } | undefined)?.capabilities).not.toHaveProperty(
      "tasks",
    );
    await (await post({ method: "notifications/initialized" }, sessionId)).text();
    const [listed] = await messagesOf(await post({ id: 2, method: "tools/list" }, sessionId));
    const tools = (listed?.result as { tools?: Array<{ name: string }> } | undefined)?.tools ?? [];
    expect(tools.find((tool) => tool.name === "slow_compute")).not.toHaveProperty("execution");
    const [get] = await messagesOf(
      await post({ id: 3, method: "tasks/get", params: { taskId: "x" } }, sessionId),
    );
    expect(get).toMatchObject({ error: { code: -32601 } });
    const params = { name: "slow_compute", arguments: { seconds: 0, label: "x" }, task: {} };
    const [call] = await messagesOf(await post({ id: 4, method: "tools/call", params }, sessionId));
    expect(call).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/2025-11-25/) } });
  });
});

describe("tasks in 2025-11-25 sessions across replicas (PostgreSQL and Redis shared)", () => {
  const databaseUrl = realServiceUrl("DATABASE_URL");
  const redisUrl = realServiceUrl("REDIS_URL");
  const enabled = Boolean(databaseUrl && redisUrl);
  let database: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  let onOne: Client;
  let onTwo: Client;
  beforeAll(async () => {
    if (!databaseUrl || !redisUrl) return;
    database = await createTestDatabase(databaseUrl);
    const shared = {
      ...fixtures,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: uniquePrefix(),
    };
    one = await startTestServer(shared);
    two = await startTestServer(shared);
    onOne = await connect(one.url);
    onTwo = await connect(two.url);
  });
  afterAll(async () => {
    await onOne?.close();
    await onTwo?.close();
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  it.skipIf(!enabled)(
    "a task started on one replica is read and waited for from a session on the other",
    async () => {
      const task = await startTask(onOne, "slow_compute", { seconds: 1, label: "far" });
      expect(await onTwo.experimental.tasks.getTask(task.taskId)).toMatchObject({ status: "working" });
      const started = performance.now();
      const result = await onTwo.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
      expect(result).toMatchObject({ content: [{ text: "far: done after 1 s" }] });
      expect(result._meta?.[RELATED_TASK_META_KEY]).toEqual({ taskId: task.taskId });
      // Woken by the bus when the task ended on the other replica, not by its 2 s recheck.
      expect(performance.now() - started).toBeLessThan(1_900);
    },
  );

  it.skipIf(!enabled)(
    "a task started on one replica is cancelled from the other, and its run stops",
    async () => {
      const task = await startTask(onOne, "slow_compute", { seconds: 60, label: "stopped" });
      expect(await onTwo.experimental.tasks.cancelTask(task.taskId)).toMatchObject({ status: "cancelled" });
      expect((await onOne.experimental.tasks.getTask(task.taskId)).status).toBe("cancelled");
      await expect
        .poll(async () => {
          await one.ctx.audit.flush(1_000);
          const rows = await one.ctx.db.db.select().from(auditLog);
          return rows.filter((row) => row.tool === "slow_compute").map((row) => row.outcome);
        })
        .toContain("cancelled");
    },
  );

  it.skipIf(!enabled)(
    "a task's question is asked in a session on the other replica, and its answer completes it",
    async () => {
      const asked = answerForms(onTwo, { confirm: true });
      const task = await startTask(onOne, "confirm_delete", { filename: "far.txt" });
      await expect
        .poll(async () => (await onTwo.experimental.tasks.getTask(task.taskId)).status)
        .toBe("input_required");
      const result = await onTwo.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
      expect(result).toMatchObject({ content: [{ text: "far.txt would be deleted" }] });
      expect(asked).toEqual([{ message: "Delete far.txt?", meta: { taskId: task.taskId } }]);
    },
  );

  it.skipIf(!enabled)("another caller can neither see, list, wait for nor cancel a task", async () => {
    const task = await startTask(onOne, "slow_compute", { seconds: 60, label: "mine" });
    const { secret } = await createApiKey(one.ctx.db.db, {
      name: "stranger",
      scope: { kind: "all" },
      createdBy: "test",
    });
    const stranger = await connect(two.url, secret);
    try {
      const notFound = { code: -32602, message: expect.stringMatching(/Task not found/) };
      const tasks = stranger.experimental.tasks;
      expect(await refusal(tasks.getTask(task.taskId))).toMatchObject(notFound);
      expect(await refusal(tasks.getTaskResult(task.taskId, CallToolResultSchema))).toMatchObject(notFound);
      expect(await refusal(tasks.cancelTask(task.taskId))).toMatchObject(notFound);
      expect((await tasks.listTasks()).tasks).toEqual([]);
      expect((await onTwo.experimental.tasks.getTask(task.taskId)).status).toBe("working");
    } finally {
      await stranger.close();
      await onOne.experimental.tasks.cancelTask(task.taskId);
    }
  });
});
