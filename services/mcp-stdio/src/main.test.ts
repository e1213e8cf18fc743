import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listToolCalls } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const env = { PATH: process.env.PATH ?? "", DATA_DIR: "memory://", LOG_LEVEL: "info" };
const nodeArgs = ["--import", "tsx", main];

function spawnServer(extraEnv: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, nodeArgs, { env: { ...env, ...extraEnv }, stdio: "pipe" });
}

function send(child: ChildProcessWithoutNullStreams, message: object) {
  child.stdin.write(`${JSON.stringify(message)}\n`);
}

/** Collects stdout lines; resolves when a response with the given id arrives. */
function responses(child: ChildProcessWithoutNullStreams) {
  const lines: string[] = [];
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts.filter(Boolean));
  });
  const waitFor = async (id: number) => {
    await expect.poll(() => lines.some((line) => JSON.parse(line).id === id), { timeout: 20_000 }).toBe(true);
  };
  return { lines, waitFor };
}

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

async function exitWithin(child: ChildProcessWithoutNullStreams, ms: number) {
  const started = Date.now();
  const [code] = await once(child, "exit");
  return { code, elapsed: Date.now() - started, within: Date.now() - started < ms };
}

describe("mcp-stdio", () => {
  it("serves the tools to the SDK client over a spawned process", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: nodeArgs,
      env,
      stderr: "pipe",
    });
    const client = new Client({ name: "stdio-test", version: "1" });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("echo");
    const result = await client.callTool({ name: "echo", arguments: { text: "over stdio" } });
    expect(result.structuredContent).toEqual({ text: "over stdio" });
    await client.close();
  });

  it("writes only JSON-RPC to stdout and logs to stderr", async () => {
    const child = spawnServer();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const { lines, waitFor } = responses(child);
    send(child, initialize);
    await waitFor(1);
    send(child, { jsonrpc: "2.0", method: "notifications/initialized" });
    send(child, {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "x" } },
    });
    await waitFor(2);
    child.stdin.end();
    const { code, within } = await exitWithin(child, 5_000);
    expect(code).toBe(0);
    expect(within).toBe(true);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    expect(stderr).toContain('"msg":"stdio transport ready"');
  });

  it("exits 0 within 5 s on SIGTERM", async () => {
    const child = spawnServer();
    const { waitFor } = responses(child);
    send(child, initialize);
    await waitFor(1);
    child.kill("SIGTERM");
    const { code, within } = await exitWithin(child, 5_000);
    expect(code).toBe(0);
    expect(within).toBe(true);
  });

  it("finishes making a new data folder when a SIGTERM follows the close of its input", async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), "mcp-stdio-first-")), "data");
    const child = spawnServer({ DATA_DIR: dataDir });
    try {
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      const { waitFor } = responses(child);
      send(child, initialize);
      await waitFor(1);
      // A desktop client closes its end, and its supervisor signals while initdb still runs.
      child.stdin.end();
      await expect.poll(() => stderr.includes('"msg":"shutting down"')).toBe(true);
      child.kill("SIGTERM");
      const { code } = await exitWithin(child, 30_000);
      expect(code).toBe(0);
      expect(stderr).toContain("signal while stopping: the stop goes on");
      expect(stderr).toContain('"msg":"database open"');
    } finally {
      child.kill("SIGKILL");
      await rm(dirname(dataDir), { recursive: true, force: true });
    }
  });

  it("answers initialize and tools/list without its database, and says on a call why it cannot open", async () => {
    // A data folder PGlite cannot start on: the server must answer what needs no database anyway.
    const dataDir = await mkdtemp(join(tmpdir(), "mcp-stdio-broken-"));
    await writeFile(join(dataDir, "PG_VERSION"), "99\n");
    const child = spawnServer({ DATA_DIR: dataDir });
    try {
      const { lines, waitFor } = responses(child);
      const answer = (id: number) =>
        lines.map((line) => JSON.parse(line)).find((message) => message.id === id);
      send(child, initialize);
      await waitFor(1);
      send(child, { jsonrpc: "2.0", method: "notifications/initialized" });
      send(child, { jsonrpc: "2.0", id: 2, method: "tools/list" });
      await waitFor(2);
      expect(answer(2).result.tools.map((tool: { name: string }) => tool.name)).toContain("note_save");
      send(child, {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "note_save", arguments: { title: "t", body: "b" } },
      });
      await waitFor(3);
      expect(answer(3).error.message).toMatch(/^The database could not open: /);
    } finally {
      child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("prunes the audit trail of its embedded database past AUDIT_RETENTION_DAYS", async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), "mcp-stdio-retention-")), "data");
    const atAge = (principal: string, days: number) => ({
      tool: "echo",
      transport: "stdio",
      durationMs: 1,
      outcome: "ok" as const,
      arguments: {},
      principal,
      at: new Date(Date.now() - days * 86_400_000),
    });
    const seeded = await createTestContext({ DATA_DIR: dataDir });
    seeded.audit.record(atAge("old", 31));
    seeded.audit.record(atAge("recent", 29));
    await seeded.audit.flush(5_000);
    await seeded.close();
    const child = spawnServer({ DATA_DIR: dataDir, AUDIT_RETENTION_DAYS: "30" });
    let log = "";
    child.stderr.on("data", (chunk: Buffer) => {
      log += chunk.toString("utf8");
    });
    try {
      await expect.poll(() => log, { timeout: 20_000 }).toContain('"msg":"audit pruned"');
      child.stdin.end();
      expect((await exitWithin(child, 10_000)).code).toBe(0);
      const reopened = await createTestContext({ DATA_DIR: dataDir });
      const rows = await listToolCalls(reopened.db.db);
      await reopened.close();
      expect(rows.rows.map((row) => row.principal)).toEqual(["recent"]);
    } finally {
      child.kill("SIGKILL");
      await rm(dirname(dataDir), { recursive: true, force: true });
    }
  });

  it("exits 1 naming every bad key when the configuration is invalid", async () => {
    const child = spawnServer({ MCP_PORT: "nope", TOOL_TIMEOUT_MS: "-5" });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(stderr).toContain("MCP_PORT");
    expect(stderr).toContain("TOOL_TIMEOUT_MS");
  });
});
