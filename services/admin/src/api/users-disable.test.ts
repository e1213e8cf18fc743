import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { start as startMcp } from "@mcp-tools/mcp-sse";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let mcp: Awaited<ReturnType<typeof startMcp>>;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091", MCP_AUTH: "required" });
  mcp = await startMcp(ctx, { host: "127.0.0.1", port: 0 });
  admin = await signIn(ctx, "admin");
});
afterAll(async () => {
  await mcp?.stop();
  await ctx?.close();
});

async function connect(secret: string): Promise<Client> {
  const client = new Client({ name: "disabled-user-test", version: "1.0.0" });
  const requestInit = { headers: { authorization: `Bearer ${secret}` } };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${mcp.url}/mcp`), { requestInit }));
  return client;
}

const initialize = (secret: string) =>
  fetch(`${mcp.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${secret}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });

describe("disabling a user", () => {
  it("revokes the API keys they created: an MCP call with one then gets 401", async () => {
    const app = createAdminApp(ctx);
    const bob = await signIn(ctx, "operator");
    const created = await app.request(
      "/api/keys",
      jsonWrite(bob, "POST", { name: "bob's", scope: { kind: "all" } }),
    );
    const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };
    const client = await connect(secret);
    expect(await client.callTool({ name: "echo", arguments: { text: "hi" } })).toMatchObject({
      content: [{ type: "text", text: "hi" }],
    });

    const disabled = await app.request(
      `/api/users/${bob.user.id}`,
      jsonWrite(admin, "PATCH", { disabled: true }),
    );
    expect(disabled.status).toBe(200);

    await expect(client.callTool({ name: "echo", arguments: { text: "again" } })).rejects.toThrow(
      /Unauthorized: The API key has been revoked/,
    );
    const fresh = await initialize(secret);
    expect(fresh.status).toBe(401);
    expect(fresh.headers.get("www-authenticate")).toContain("The API key has been revoked");
    await client.close();

    const { keys } = (await (await app.request("/api/keys", { headers: admin.headers })).json()) as {
      keys: Array<{ id: string; revokedAt: string | null }>;
    };
    expect(keys.find((listed) => listed.id === key.id)?.revokedAt).not.toBeNull();
    const { actions } = (await (
      await app.request("/api/audit/admin", { headers: admin.headers })
    ).json()) as {
      actions: Array<{ actor: string; action: string; targetId: string; after: unknown }>;
    };
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: admin.user.username,
          action: "api_key.revoke",
          targetId: key.id,
          after: expect.objectContaining({ reason: "its creator was disabled" }),
        }),
      ]),
    );
  });

  it("leaves keys created by other people alone", async () => {
    const app = createAdminApp(ctx);
    const [carol, dave] = [await signIn(ctx, "operator"), await signIn(ctx, "operator")];
    const created = await app.request(
      "/api/keys",
      jsonWrite(carol, "POST", { name: "carol's", scope: { kind: "all" } }),
    );
    const { secret } = (await created.json()) as { secret: string };
    await app.request(`/api/users/${dave.user.id}`, jsonWrite(admin, "PATCH", { disabled: true }));
    expect((await initialize(secret)).status).toBe(200);
  });
});
