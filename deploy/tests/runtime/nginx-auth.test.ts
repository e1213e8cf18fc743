import { createTestDatabase, freePort, type TestDatabase } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTestKey } from "./testing/keys.js";
import { type RunningNginx, startNginx } from "./testing/nginx.js";
import { killAll } from "./testing/processes.js";
import { requireRuntime } from "./testing/requirements.js";
import { type RunningService, sharedEnv, startSlowLauncher } from "./testing/services.js";

// The one-machine recipe as the security review found it: a replica on loopback with MCP_AUTH
// left unset, and deploy/nginx.conf in front of it on every interface.
const runtime = requireRuntime({ binaries: ["nginx"], services: ["DATABASE_URL", "REDIS_URL"] });

let database: TestDatabase | undefined;
let replica: RunningService | undefined;
let nginx: RunningNginx | undefined;
let key = "";

beforeAll(async () => {
  if (!runtime) return;
  database = await createTestDatabase(runtime.databaseUrl);
  replica = await startSlowLauncher(sharedEnv(database.url, runtime.redisUrl), await freePort());
  nginx = await startNginx({ mcpPorts: [replica.port], adminPorts: [replica.port] });
  key = await createTestKey(database.url);
});

afterAll(async () => {
  await nginx?.stop();
  await killAll();
  await database?.drop();
});

const initialize = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    }),
  });

describe.skipIf(!runtime)("deploy/nginx.conf in front of a replica with MCP_AUTH unset", () => {
  it("answers MCP without a key with 401 through nginx, even naming localhost as the Host", async () => {
    const proxy = nginx?.mcpUrl ?? "";
    for (const headers of [{}, { host: "localhost" }] as Array<Record<string, string>>) {
      const res = await initialize(proxy, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { message: expect.stringMatching(/^Unauthorized/) } });
    }
    for (const path of ["/sse", "/messages?sessionId=x"]) {
      const res = await fetch(`${proxy}${path}`, { method: path === "/sse" ? "GET" : "POST" });
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
  });

  it("serves a client with a key through nginx, and a local client without one directly", async () => {
    const viaProxy = await initialize(nginx?.mcpUrl ?? "", bearer(key));
    expect(viaProxy.status).toBe(200);
    await viaProxy.text();
    const direct = await initialize(replica?.url ?? "");
    expect(direct.status).toBe(200);
    await direct.text();
  });

  it("does not forward /metrics, which the replica still serves to a scraper that reaches it", async () => {
    for (const url of [nginx?.mcpUrl, nginx?.adminUrl]) {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("mcp_tool_calls_total");
    }
    expect(await (await fetch(`${nginx?.mcpUrl}/%6detrics`)).text()).not.toContain("mcp_tool_calls_total");
    expect((await fetch(`${replica?.url}/metrics`)).status).toBe(200);
  });
});
