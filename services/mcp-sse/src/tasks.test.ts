import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { listToolCalls } from "@mcp-tools/core";
import { createTestDatabase, realServiceUrl, type TestDatabase, uniquePrefix } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modernRequest, postModern } from "./testing/modern.js";
import { startTestServer, type TestServer } from "./testing.js";

// Tool calls that run as tasks (MCP's tasks extension, 2026-07-28), through the real HTTP app: the
// conformance fixtures slow_compute (optional), confirm_delete and multi_input (required, asking).

const TASKS = { extensions: { "io.modelcontextprotocol/tasks": {} }, elicitation: {} };
const fixtures = { CONFORMANCE_FIXTURES: "true" };

interface Rpc {
  result?: Record<string, unknown> & { taskId?: string; status?: string };
  error?: { code: number; message: string; data?: unknown };
}

let nextId = 1;
/** One 2026-07-28 request declaring the tasks extension (or `capabilities`), answered as JSON. */
async function rpc(
  url: string,
  method: string,
  params: Record<string, unknown>,
  capabilities: object = TASKS,
) {
  const request = modernRequest(nextId++, method, params, undefined, {
    "io.modelcontextprotocol/clientCapabilities": capabilities,
  });
  const taskId = params.taskId;
  // MCP 2026-07-28 §Value Encoding: what a header cannot hold travels Base64-encoded.
  if (typeof taskId === "string")
    request.headers["mcp-name"] = /^[\x20-\x7E]*$/.test(taskId)
      ? taskId
      : `=?base64?${Buffer.from(taskId).toString("base64")}?=`;
  const response = await postModern(url, request);
  return { status: response.status, ...((await response.json()) as Rpc) };
}

const startTask = async (url: string, name: string, args: Record<string, unknown>) => {
  const { result, error } = await rpc(url, "tools/call", { name, arguments: args });
  expect(error).toBeUndefined();
  expect(result?.resultType).toBe("task");
  return String(result?.taskId);
};

const statusOf = async (url: string, taskId: string) =>
  (await rpc(url, "tasks/get", { taskId })).result ?? {};

describe("tasks on one process (the embedded database)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...fixtures, MAX_TASKS_PER_CALLER: "2" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers a call with a working task, then shows its result once done", async () => {
    const taskId = await startTask(server.url, "slow_compute", { seconds: 0.2, label: "soon" });
    expect((await statusOf(server.url, taskId)).status).toBe("working");
    await expect.poll(async () => (await statusOf(server.url, taskId)).status).toBe("completed");
    const done = await statusOf(server.url, taskId);
    expect(done.result).toMatchObject({ content: [{ type: "text", text: "soon: done after 0.2 s" }] });
  });

  it("runs an optional task tool in the request for a client without the extension, and refuses a required one", async () => {
    const sync = await rpc(
      server.url,
      "tools/call",
      { name: "slow_compute", arguments: { seconds: 0, label: "now" } },
      {},
    );
    expect(sync.result).toMatchObject({ resultType: "complete", content: [{ text: "now: done after 0 s" }] });
    const refused = await rpc(server.url, "tools/call", { name: "failing_job", arguments: {} }, {});
    expect(refused.status).toBe(400);
    expect(refused.error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { extensions: { "io.modelcontextprotocol/tasks": {} } } },
    });
  });

  it("refuses a caller's task beyond MAX_TASKS_PER_CALLER, and takes one again once another ends", async () => {
    const first = await startTask(server.url, "slow_compute", { seconds: 60, label: "a" });
    const second = await startTask(server.url, "slow_compute", { seconds: 60, label: "b" });
    const third = await rpc(server.url, "tools/call", {
      name: "slow_compute",
      arguments: { seconds: 60, label: "c" },
    });
    expect(third.error?.message).toMatch(/At most 2 tasks may run at once/);
    await rpc(server.url, "tasks/cancel", { taskId: first });
    const fourth = await startTask(server.url, "slow_compute", { seconds: 0, label: "d" });
    await rpc(server.url, "tasks/cancel", { taskId: second });
    await expect.poll(async () => (await statusOf(server.url, fourth)).status).toBe("completed");
  });

  it("says not found for an unknown task, and -32021 to a client without the extension", async () => {
    expect((await rpc(server.url, "tasks/get", { taskId: "no-such-task" })).error?.code).toBe(-32602);
    expect((await rpc(server.url, "tasks/cancel", { taskId: "nul\u0000id" })).error?.code).toBe(-32602);
    expect((await rpc(server.url, "tasks/get", { taskId: "no-such-task" }, {})).error?.code).toBe(-32021);
  });
});

describe("tasks across replicas (PostgreSQL and Redis shared)", () => {
  const databaseUrl = realServiceUrl("DATABASE_URL");
  const redisUrl = realServiceUrl("REDIS_URL");
  const prefix = uniquePrefix();
  let database: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  const shared = () => ({
    ...fixtures,
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl ?? "",
    REDIS_PREFIX: prefix,
  });
  beforeAll(async () => {
    if (!databaseUrl || !redisUrl) return;
    database = await createTestDatabase(databaseUrl);
    one = await startTestServer(shared());
    two = await startTestServer(shared());
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  it.skipIf(!databaseUrl || !redisUrl)(
    "a task started on one replica is read and cancelled on the other, and its run stops",
    async () => {
      const taskId = await startTask(one.url, "slow_compute", { seconds: 60, label: "long" });
      expect((await statusOf(two.url, taskId)).status).toBe("working");
      const ack = await rpc(two.url, "tasks/cancel", { taskId });
      expect(ack.result).toEqual({ resultType: "complete", _meta: expect.any(Object) });
      expect((await statusOf(one.url, taskId)).status).toBe("cancelled");
      // The run on the first replica heard of it and stopped: its audit row says cancelled.
      await expect
        .poll(async () => {
          await one.ctx.audit.flush(1_000);
          const page = await listToolCalls(one.ctx.db.db, { tool: "slow_compute", outcome: "cancelled" });
          return page.rows.length;
        })
        .toBe(1);
    },
  );

  it.skipIf(!databaseUrl || !redisUrl)(
    "a task asks its client; the questions show on the other replica, and answers given there reach the run",
    async () => {
      const taskId = await startTask(one.url, "multi_input", {});
      await expect.poll(async () => (await statusOf(two.url, taskId)).status).toBe("input_required");
      const asked = (await statusOf(two.url, taskId)).inputRequests as Record<string, unknown>;
      expect(Object.keys(asked)).toEqual(["first", "second"]);
      const answer = (name: string) => ({ action: "accept", content: { name } });
      await rpc(two.url, "tasks/update", { taskId, inputResponses: { first: answer("ada") } });
      const waiting = await statusOf(one.url, taskId);
      expect(waiting.status).toBe("input_required");
      expect(Object.keys(waiting.inputRequests as object)).toEqual(["second"]);
      await rpc(two.url, "tasks/update", { taskId, inputResponses: { second: answer("grace"), stray: 1 } });
      await expect.poll(async () => (await statusOf(two.url, taskId)).status).toBe("completed");
      expect((await statusOf(two.url, taskId)).result).toMatchObject({
        content: [{ text: "answered: ada, grace" }],
      });
    },
  );

  it.skipIf(!databaseUrl || !redisUrl)("another caller cannot see or cancel a task", async () => {
    const taskId = await startTask(one.url, "slow_compute", { seconds: 60, label: "mine" });
    const stranger = await one.ctx.tasks.get("key:someone-else", taskId);
    expect(stranger).toBeUndefined();
    expect(await two.ctx.tasks.cancel("key:someone-else", taskId)).toBe(false);
    expect((await statusOf(two.url, taskId)).status).toBe("working");
    await rpc(two.url, "tasks/cancel", { taskId });
  });

  it.skipIf(!databaseUrl || !redisUrl)(
    "a task whose server process is killed is failed, with the reason, when next read",
    async () => {
      const replica = await spawnReplica(shared());
      try {
        const taskId = await startTask(replica.url, "slow_compute", { seconds: 60, label: "orphan" });
        expect((await statusOf(two.url, taskId)).status).toBe("working");
        replica.child.kill("SIGKILL");
        // Its presence record outlives it by at most three heartbeats (15 s).
        await expect
          .poll(async () => (await statusOf(two.url, taskId)).status, { timeout: 30_000, interval: 500 })
          .toBe("failed");
        expect(await statusOf(two.url, taskId)).toMatchObject({
          statusMessage: "The server process running this task stopped before it finished",
          error: { code: -32603 },
        });
      } finally {
        replica.child.kill("SIGKILL");
      }
    },
    45_000,
  );
});

const main = fileURLToPath(new URL("./main.ts", import.meta.url));

/** This service as its own process (a replica that can be killed), once it listens. */
async function spawnReplica(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: { PATH: process.env.PATH ?? "", MCP_PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  await expect
    .poll(() => /MCP HTTP server listening/.test(stderr) || child.exitCode !== null, { timeout: 30_000 })
    .toBe(true);
  const url = /"url":"([^"]+)"/.exec(stderr)?.[1];
  if (!url) throw new Error(`the replica did not start: ${stderr}`);
  return { child, url };
}
