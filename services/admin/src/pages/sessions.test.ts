import { type AppContext, adminAudit, publicSessionId } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { type McpHttpService, start as startMcp } from "@mcp-tools/mcp-sse";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let mcp: McpHttpService;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  mcp = await startMcp(ctx, { host: "127.0.0.1", port: 0 });
  [operator, viewer] = await Promise.all([signIn(ctx, "operator"), signIn(ctx, "viewer")]);
});
afterAll(async () => {
  await mcp.stop();
  await ctx.close();
});

interface Listed {
  id: string;
  transport: string;
  principal: string;
  terminable: boolean;
  processId: string;
}

async function connect() {
  const transport = new StreamableHTTPClientTransport(new URL(`${mcp.url}/mcp`));
  const client = new Client({ name: "sessions-test", version: "1" });
  await client.connect(transport);
  // Sessions reach presence on the heartbeat; beat now rather than wait for one.
  await ctx.presence.beat();
  return { client, transport, id: publicSessionId(transport.sessionId ?? "") };
}

const listed = async (who: SignedIn) => {
  const response = await createAdminApp(ctx).request("/api/sessions", { headers: who.headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as { sessions: Listed[] }).sessions;
};

// The next request on a closed session is answered 404 (MCP 2025-11-25 §Session Management).
const statusOfNextRequest = async (sessionId: string) =>
  (
    await fetch(`${mcp.url}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" }),
    })
  ).status;

describe("sessions", () => {
  it("lists a running server's session under a hash of its id, never the id itself", async () => {
    const { client, transport, id } = await connect();
    try {
      const sessions = await listed(viewer);
      expect(sessions).toContainEqual(
        expect.objectContaining({
          id,
          transport: "streamable-http",
          principal: "anonymous",
          terminable: true,
        }),
      );
      const page = await (await createAdminApp(ctx).request("/sessions", { headers: viewer.headers })).text();
      expect(page).toContain(id);
      expect(page).not.toContain(transport.sessionId ?? "missing");
      // A viewer reads but is offered no way to end a session.
      expect(page).not.toContain(`/sessions/${id}/terminate`);
    } finally {
      await client.close();
    }
  });

  it("ends a session after the confirmation step: the client's next request is refused with 404", async () => {
    const { client, transport, id } = await connect();
    const app = createAdminApp(ctx);
    const list = await (await app.request("/sessions", { headers: operator.headers })).text();
    expect(list).toContain(`href="/sessions/${id}/terminate"`);
    const confirm = await app.request(`/sessions/${id}/terminate`, { headers: operator.headers });
    expect(await confirm.text()).toContain("End this session?");
    const done = await app.request(`/sessions/${id}/terminate`, formPost(operator, {}));
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/sessions?done=terminated");
    await expect.poll(() => statusOfNextRequest(transport.sessionId ?? "")).toBe(404);
    await expect(client.ping()).rejects.toThrow(/404|not found/i);
    await expect.poll(async () => (await listed(operator)).some((s) => s.id === id)).toBe(false);
    const row = (await ctx.db.db.select().from(adminAudit)).find((action) => action.targetId === id);
    expect(row).toMatchObject({
      actor: operator.user.username,
      action: "session.terminated",
      targetType: "session",
    });
    await client.close().catch(() => undefined);
  });

  it("ends a session through the API with 202, and 404s an unknown one", async () => {
    const { client, transport, id } = await connect();
    const app = createAdminApp(ctx);
    const response = await app.request(`/api/sessions/${id}/terminate`, jsonWrite(operator, "POST", {}));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ terminating: { id, transport: "streamable-http" } });
    await expect.poll(() => statusOfNextRequest(transport.sessionId ?? "")).toBe(404);
    const unknown = await app.request(
      "/api/sessions/0123456789abcdef/terminate",
      jsonWrite(operator, "POST", {}),
    );
    expect(unknown.status).toBe(404);
    await client.close().catch(() => undefined);
  });

  it("refuses a viewer with 403, and leaves the session open", async () => {
    const { client, transport, id } = await connect();
    try {
      const app = createAdminApp(ctx);
      expect((await app.request(`/api/sessions/${id}/terminate`, jsonWrite(viewer, "POST", {}))).status).toBe(
        403,
      );
      expect((await app.request(`/sessions/${id}/terminate`, formPost(viewer, {}))).status).toBe(403);
      expect((await app.request(`/sessions/${id}/terminate`, { headers: viewer.headers })).status).toBe(403);
      expect(await statusOfNextRequest(transport.sessionId ?? "")).toBe(200);
    } finally {
      await client.close();
    }
  });

  it("shows an empty state when no session is open", async () => {
    const empty = await createTestContext({ ADMIN_PORT: "9091" });
    try {
      const who = await signIn(empty, "viewer");
      const page = await (await createAdminApp(empty).request("/sessions", { headers: who.headers })).text();
      expect(page).toContain("No open MCP sessions.");
    } finally {
      await empty.close();
    }
  });
});
