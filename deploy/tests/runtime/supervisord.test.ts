import { createTestDatabase, freePort, type TestDatabase } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditedArgument, auditRows, connectClient, echo } from "./testing/clients.js";
import { createTestKey } from "./testing/keys.js";
import { alive, answers, killAll, waitFor } from "./testing/processes.js";
import { requireRuntime } from "./testing/requirements.js";
import { sharedEnv } from "./testing/services.js";
import { type RunningSupervisor, startSupervisord } from "./testing/supervisor.js";

const runtime = requireRuntime({
  binaries: ["supervisord", "supervisorctl"],
  services: ["DATABASE_URL", "REDIS_URL"],
});

let database: TestDatabase | undefined;
let supervisor: RunningSupervisor | undefined;
let mcpUrl = "";
let adminUrl = "";
let mcpName = "";
let token = "";

beforeAll(async () => {
  if (!runtime) return;
  database = await createTestDatabase(runtime.databaseUrl);
  const [mcpPort, adminPort] = [await freePort(), await freePort()];
  mcpUrl = `http://127.0.0.1:${mcpPort}`;
  adminUrl = `http://127.0.0.1:${adminPort}`;
  mcpName = `mcp-sse:mcp-sse-${mcpPort}`;
  supervisor = startSupervisord({
    MCP_PORT: String(mcpPort),
    MCP_REPLICAS: "1",
    ADMIN_PORT: String(adminPort),
    ...sharedEnv(database.url, runtime.redisUrl),
    LOG_LEVEL: "info",
    MCP_AUTH: "required",
    // Audit rows are written only when the queue is flushed at shutdown: the test sees that flush.
    AUDIT_FLUSH_INTERVAL_MS: "600000",
  });
  await waitFor(
    async () => (await answers(`${mcpUrl}/ready`)) && (await answers(`${adminUrl}/ready`)),
    "both services ready",
    60_000,
  );
  // supervisord calls a program RUNNING once it has stayed up for startsecs.
  const running = () => Object.values(supervisor?.status() ?? {});
  await waitFor(
    () => running().length === 2 && running().every((program) => program.state === "RUNNING"),
    "both RUNNING",
  );
  token = await createTestKey(database.url);
});

afterAll(async () => {
  await supervisor?.stop();
  await killAll();
  await database?.drop();
});

async function echoOnce(text: string) {
  const { client } = await connectClient(mcpUrl, "mcp", "supervisord-test", { token });
  try {
    return await echo(client, text);
  } finally {
    await client.close();
  }
}

describe.skipIf(!runtime)("deploy/supervisord.conf", () => {
  it("runs the MCP service and the admin service as two processes", () => {
    const status = supervisor?.status() ?? {};
    expect(status[mcpName]?.state).toBe("RUNNING");
    expect(status.admin?.state).toBe("RUNNING");
    expect(status[mcpName]?.pid).not.toBe(status.admin?.pid);
  });

  it("restarts the MCP service after kill -9, and it serves again", async () => {
    const before = supervisor?.status()[mcpName]?.pid ?? 0;
    // Never 0: process.kill(0) would signal this test's own process group.
    expect(before).toBeGreaterThan(0);
    expect(await echoOnce("before the kill")).toBe("before the kill");
    process.kill(before, "SIGKILL");
    const restartedAt = Date.now();
    const after = await waitFor(() => {
      const now = supervisor?.status()[mcpName];
      return now?.state === "RUNNING" && now.pid !== before ? now.pid : undefined;
    }, "a new mcp-sse process");
    await waitFor(() => answers(`${mcpUrl}/health`), "the new process answering /health");
    expect(await echoOnce("after the kill")).toBe("after the kill");
    console.info(`mcp-sse pid ${before} killed; pid ${after} serving after ${Date.now() - restartedAt} ms`);
    expect(alive(before)).toBe(false);
    expect(supervisor?.status().admin?.state).toBe("RUNNING");
  });

  it("stops the MCP service gracefully, with the audit row of its last call written", async () => {
    const pid = supervisor?.status()[mcpName]?.pid ?? 0;
    expect(pid).toBeGreaterThan(0);
    const text = `last call before the stop ${Date.now()}`;
    expect(await echoOnce(text)).toBe(text);
    const stopped = supervisor?.ctl("stop", mcpName) ?? "";
    expect(stopped).toContain(`${mcpName}: stopped`);
    expect(supervisor?.status()[mcpName]?.state).toBe("STOPPED");
    const lines = supervisor?.process.lines() ?? [];
    expect(lines.some((line) => line.includes(`stopped: ${mcpName.split(":")[1]} (exit status 0)`))).toBe(
      true,
    );
    const logs = supervisor?.process.logs() ?? [];
    expect(logs.some((log) => log.pid === pid && log.msg === "stopped")).toBe(true);
    expect(alive(pid)).toBe(false);

    const rows = (await auditRows(database?.url ?? "")).filter(
      (row) => auditedArgument(row, "text") === text,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tool: "echo", outcome: "ok", transport: "streamable-http" });
    // The admin service is a process of its own: it keeps serving.
    expect(await answers(`${adminUrl}/health`)).toBe(true);
  });
});
