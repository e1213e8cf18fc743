import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { auditLog, createDatabase } from "@mcp-tools/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type LaunchedProcess, spawnLauncher, waitUntilReady } from "./testing/spawn.js";

const dataDirs: string[] = [];
let launched: LaunchedProcess | undefined;

function tempDataDir() {
  const dir = mkdtempSync(join(tmpdir(), "mcp-launcher-"));
  dataDirs.push(dir);
  return dir;
}

afterEach(() => {
  if (launched?.child.exitCode === null) launched.child.kill("SIGKILL");
  launched = undefined;
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const baseEnv = { MCP_PORT: "0", ADMIN_PORT: "0" };

async function connect(url: string, kind: "mcp" | "sse") {
  const client = new Client({ name: `launcher-test-${kind}`, version: "1" });
  await client.connect(
    kind === "mcp" ? new StreamableHTTPClientTransport(new URL(url)) : new SSEClientTransport(new URL(url)),
  );
  return client;
}

describe("launcher", () => {
  it("serves MCP over HTTP and the admin service from one process", async () => {
    launched = spawnLauncher(["--transport", "sse", "--admin"], {
      ...baseEnv,
      DATA_DIR: "memory://",
      ADMIN_PASSWORD: "launcher admin password",
    });
    const ready = await waitUntilReady(launched);
    const client = await connect(ready.mcp ?? "", "mcp");
    expect((await client.callTool({ name: "echo", arguments: { text: "hi" } })).structuredContent).toEqual({
      text: "hi",
    });
    await client.close();
    expect((await fetch(`${ready.admin}/api/tools`)).status).toBe(401);
    const signedIn = await fetch(`${ready.admin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "admin", password: "launcher admin password" }),
    });
    expect(signedIn.status).toBe(303);
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const tools = await fetch(`${ready.admin}/api/tools`, { headers: { cookie } });
    expect(tools.status).toBe(200);
    // A rendered page, not only JSON: the pages' JSX must compile for hono/jsx when run from the root.
    const page = await fetch(`${ready.admin}/tools`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("note_search");
    launched.child.kill("SIGTERM");
    expect((await launched.exit()).code).toBe(0);
  });

  it("lets 20 in-flight tool calls finish on SIGTERM, audits them and exits 0", async () => {
    const dataDir = tempDataDir();
    launched = spawnLauncher(["--transport", "sse"], {
      ...baseEnv,
      DATA_DIR: dataDir,
      SHUTDOWN_GRACE_MS: "10000",
    });
    const ready = await waitUntilReady(launched);
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect(ready.mcp ?? "", "mcp")));
    const calls = clients.map((client, i) =>
      client.callTool({ name: "slow", arguments: { ms: 1_500, tag: `call-${i}` } }, undefined, {
        timeout: 30_000,
      }),
    );
    await expect.poll(() => launched?.logs.length ?? 0).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    launched.child.kill("SIGTERM");
    const results = await Promise.all(calls);
    expect(results.map((result) => result.structuredContent)).toEqual(
      clients.map((_, i) => ({ tag: `call-${i}` })),
    );
    const { code } = await launched.exit();
    expect(code).toBe(0);

    const database = await createDatabase({
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      DATABASE_POOL_MAX: 1,
    });
    const rows = await database.db.select().from(auditLog).where(eq(auditLog.tool, "slow"));
    await database.close();
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((row) => (row.arguments as { tag: string }).tag)).size).toBe(20);
    expect(rows.every((row) => row.outcome === "ok")).toBe(true);
  });

  it("ends 20 open SSE streams on SIGTERM and exits 0 without running into the hard limit", async () => {
    launched = spawnLauncher(["--transport", "sse"], {
      ...baseEnv,
      DATA_DIR: "memory://",
      SHUTDOWN_GRACE_MS: "3000",
    });
    const ready = await waitUntilReady(launched);
    const clients = await Promise.all([
      ...Array.from({ length: 10 }, () => connect(ready.legacySse ?? "", "sse")),
      ...Array.from({ length: 10 }, () => connect(ready.mcp ?? "", "mcp")),
    ]);
    // The Streamable HTTP clients open their standalone GET stream after initializing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    launched.child.kill("SIGTERM");
    const { code, afterMs } = await launched.exit();
    expect(code).toBe(0);
    // The streams end at once; the idle connections left behind get up to 4 s for their clients
    // to close them (see ServedApp.drain), well before the runner gives up at grace + 5 s.
    expect(afterMs).toBeLessThan(3_000 + 4_500);
    expect(launched.logs.some((line) => line.msg === "shutdown took too long; exiting")).toBe(false);
    await Promise.allSettled(clients.map((client) => client.close()));
  });

  it("exits at once on a second signal, without waiting for in-flight calls", async () => {
    launched = spawnLauncher(["--transport", "sse"], {
      ...baseEnv,
      DATA_DIR: "memory://",
      SHUTDOWN_GRACE_MS: "20000",
    });
    const ready = await waitUntilReady(launched);
    const client = await connect(ready.mcp ?? "", "mcp");
    void client.callTool({ name: "slow", arguments: { ms: 15_000, tag: "stuck" } }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    launched.child.kill("SIGTERM");
    const signalledAt = Date.now();
    await expect.poll(() => launched?.logs.some((line) => line.msg === "shutting down")).toBe(true);
    // A repeat within a second is the same request (Ctrl-C reaches pnpm and node alike).
    await expect.poll(() => Date.now() - signalledAt, { timeout: 2_000 }).toBeGreaterThan(1_000);
    launched.child.kill("SIGTERM");
    const { code, afterMs } = await launched.exit();
    expect(code).toBe(1);
    expect(afterMs).toBeLessThan(3_000);
  });

  it("takes a signal repeated at once, as Ctrl-C through pnpm delivers it, as one: the shutdown stays graceful", async () => {
    launched = spawnLauncher(["--transport", "sse"], { ...baseEnv, DATA_DIR: "memory://" });
    const ready = await waitUntilReady(launched);
    const client = await connect(ready.mcp ?? "", "mcp");
    const call = client.callTool({ name: "slow", arguments: { ms: 2_000, tag: "finishes" } });
    const logged = (msg: string) => launched?.logs.some((line) => line.msg === msg);
    // The call runs once the embedded database, opening behind the ready server, is open.
    await expect.poll(() => logged("slow call started"), { timeout: 30_000 }).toBe(true);
    launched.child.kill("SIGINT");
    await expect.poll(() => logged("shutting down")).toBe(true);
    launched.child.kill("SIGINT");
    expect((await call).structuredContent).toEqual({ tag: "finishes" });
    expect((await launched.exit()).code).toBe(0);
    expect(logged("signal again at once: taken as the same request to stop")).toBe(true);
  });

  it("serves stdio and HTTP together and stops when stdin closes", async () => {
    launched = spawnLauncher(["--transport", "both"], { ...baseEnv, DATA_DIR: "memory://" });
    const ready = await waitUntilReady(launched);
    expect(ready.mcp).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    launched.child.stdin.end();
    expect((await launched.exit()).code).toBe(0);
  });

  it("exits 2 with the usage for an unknown transport", async () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", main, "--transport", "carrier-pigeon"], {
      stdio: "pipe",
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(stderr).toContain("--transport must be one of stdio, sse, both");
    expect(stderr).toContain("Usage: launcher");
  });
});
