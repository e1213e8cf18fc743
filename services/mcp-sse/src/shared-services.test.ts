import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type AppContext, createApiKey, RATE_LIMITED_CODE, updateToolSettings } from "@mcp-tools/core";
import {
  createTestContext,
  createTestDatabase,
  realServiceUrl,
  type TestDatabase,
  uniquePrefix,
} from "@mcp-tools/core/testing";
import { McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSse, connectStreamable, startTestServer, type TestServer } from "./testing.js";

const databaseUrl = realServiceUrl("DATABASE_URL");
const redisUrl = realServiceUrl("REDIS_URL");
const main = fileURLToPath(new URL("./main.ts", import.meta.url));

/** The MCP HTTP service as its own OS process; resolves once it listens, with its URL. */
async function spawnService(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", HOST: "127.0.0.1", MCP_PORT: "0", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const url = /"url":"([^"]+)".*MCP HTTP server listening/.exec(stderr)?.[1];
    if (url) return { child, url };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`service did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!databaseUrl || !redisUrl)("processes sharing PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let admin: AppContext;
  let other: TestServer;
  let service: { child: ChildProcess; url: string };

  beforeAll(async () => {
    database = await createTestDatabase(databaseUrl ?? "");
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: uniquePrefix(),
      MCP_AUTH: "required",
    };
    admin = await createTestContext(env);
    service = await spawnService(env);
    other = await startTestServer(env);
  });
  afterAll(async () => {
    if (service?.child.exitCode === null) {
      const exited = new Promise((resolve) => service.child.once("exit", resolve));
      service.child.kill("SIGTERM");
      await exited;
    }
    await other?.close();
    await admin?.close();
    await database?.drop();
  });

  const newKey = async (rateLimitPerMinute?: number) =>
    (
      await createApiKey(admin.db.db, {
        name: "shared",
        scope: { kind: "all" },
        rateLimitPerMinute,
        createdBy: "test",
      })
    ).secret;

  it("a tool disabled in one process reaches a client of another within 1 s, over /mcp and /sse", async () => {
    const clients = [
      await connectStreamable(service.url, "s", await newKey()),
      await connectSse(service.url, "e", await newKey()),
    ];
    const arrivals = clients.map((client) => {
      const got: number[] = [];
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        got.push(Date.now());
      });
      return got;
    });
    for (const client of clients)
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("note_get");

    const changed = Date.now();
    await updateToolSettings(admin, "note_get", { enabled: false }, "alice");
    for (const got of arrivals) {
      await expect.poll(() => got.length, { timeout: 1_000, interval: 10 }).toBe(1);
      expect((got[0] ?? Number.POSITIVE_INFINITY) - changed).toBeLessThan(1_000);
    }
    for (const client of clients) {
      expect((await client.listTools()).tools.map((t) => t.name)).not.toContain("note_get");
      await expect(
        client.callTool({ name: "note_get", arguments: { id: crypto.randomUUID() } }),
      ).rejects.toThrow(/Unknown tool: note_get/);
    }
    await updateToolSettings(admin, "note_get", { enabled: true }, "alice");
    await Promise.all(clients.map((client) => client.close()));
  });

  it("holds a key's rate limit across two processes sharing Redis", async () => {
    const secret = await newKey(4);
    const here = await connectStreamable(other.url, "here", secret);
    const there = await connectSse(service.url, "there", secret);
    const call = (client: typeof here) => client.callTool({ name: "echo", arguments: { text: "x" } });
    // Aligned to the start of a minute window so the four calls cannot straddle two windows.
    const intoWindow = 60_000 - (Date.now() % 60_000);
    if (intoWindow < 5_000) await new Promise((resolve) => setTimeout(resolve, intoWindow + 50));
    await call(here);
    await call(there);
    await call(here);
    await call(there);
    const refused = await call(here).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(McpError);
    expect(refused).toMatchObject({
      code: RATE_LIMITED_CODE,
      data: { retryAfterSeconds: expect.any(Number) },
    });
    await expect(call(there)).rejects.toThrow(/Rate limit of 4 calls per minute/);
    await Promise.all([here.close(), there.close()]);
  });
});
