import {
  type AppContext,
  createMcpServer,
  listAdminActions,
  listToolCalls,
  localPrincipal,
} from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, jsonWrite, type SignedIn, signInEveryRole } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  ({ admin, operator, viewer } = await signInEveryRole(ctx));
});
afterAll(() => ctx.close());

async function connectedClient() {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" });
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1" });
  await client.connect(clientSide);
  return client;
}
const listedNames = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name);

const lastToolAction = async (tool: string) =>
  (await listAdminActions(ctx.db.db, { limit: 500 })).rows.find(
    (row) => row.targetType === "tool" && row.targetId === tool,
  );

describe("/tools", () => {
  it("lists every tool in a table, and a page per tool has its schemas, state and stats", async () => {
    const app = createAdminApp(ctx);
    const html = await (await app.request("/tools", { headers: viewer.headers })).text();
    for (const tool of ctx.tools.all()) {
      expect(html).toContain(`id="tool-${tool.name}"`);
      expect(html).toContain(`href="/tools/${tool.name}"`);
    }
    expect(html).toContain(`${ctx.tools.all().length} tools`);
    const page = await (await app.request("/tools/note_search", { headers: viewer.headers })).text();
    expect(page).toContain("<details>");
    expect(page).toContain("Input schema");
    expect(page).toContain("Last hour: 0 calls");
    expect(page).toContain("Versions");
    // A viewer sees no change forms.
    expect(page).not.toContain('action="/tools/note_search/disable"');
    expect((await app.request("/tools/nope", { headers: viewer.headers })).status).toBe(404);
  });

  it("finds tools by words of their name, title or description, and by kind and state", async () => {
    const app = createAdminApp(ctx);
    const listed = async (query: string) => {
      const html = await (await app.request(`/tools?${query}`, { headers: viewer.headers })).text();
      return [...html.matchAll(/<tr id="tool-([a-z_]+)"/g)].map((match) => match[1]);
    };
    expect(await listed("q=ECHO")).toEqual(["echo"]);
    const search = await listed("q=note+search");
    expect(search).toContain("note_search");
    expect(search).not.toContain("echo");
    expect(await listed("q=zzzz")).toEqual([]);
    expect(await listed("kind=http")).toEqual([]);
    expect(await listed("kind=builtin")).toHaveLength(ctx.tools.all().length);
    expect(await listed("pending=1")).toEqual([]);
    expect(await listed("state=disabled")).toEqual([]);
    expect(await (await app.request("/tools?q=zzzz", { headers: viewer.headers })).text()).toContain(
      "No tool matches.",
    );
  });

  it("keeps GET /api/tools' shape and adds settings and stats", async () => {
    const body = (await (
      await createAdminApp(ctx).request("/api/tools", { headers: viewer.headers })
    ).json()) as {
      tools: Array<{
        name: string;
        inputSchema: object;
        settings: { enabled: boolean };
        stats: { calls: number };
      }>;
    };
    const echo = body.tools.find((tool) => tool.name === "echo");
    expect(echo).toMatchObject({
      inputSchema: { type: "object" },
      settings: { enabled: true, descriptionOverride: null },
      stats: { calls: expect.any(Number), errorRate: expect.any(Number) },
    });
  });

  it("reports last-hour calls, error rate and p95 duration per tool", async () => {
    const now = Date.now();
    for (let ms = 1; ms <= 20; ms += 1)
      ctx.audit.record({
        at: new Date(now - 60_000),
        tool: "note_search",
        principal: "local",
        transport: "stdio",
        durationMs: ms * 10,
        outcome: ms <= 5 ? "error" : "ok",
        arguments: {},
      });
    // Older than the hour: not counted.
    ctx.audit.record({
      at: new Date(now - 2 * 3_600_000),
      tool: "note_search",
      principal: "local",
      transport: "stdio",
      durationMs: 99_999,
      outcome: "error",
      arguments: {},
    });
    await ctx.audit.flush(5_000);
    const app = createAdminApp(ctx);
    const body = (await (await app.request("/api/tools", { headers: viewer.headers })).json()) as {
      tools: Array<{ name: string; stats: unknown }>;
    };
    // percentile_cont over 10..200 ms: 190 + 0.05 × 10.
    expect(body.tools.find((tool) => tool.name === "note_search")?.stats).toEqual({
      calls: 20,
      errorRate: 0.25,
      p95Ms: 191,
    });
    const html = await (await app.request("/tools/note_search", { headers: viewer.headers })).text();
    expect(html).toContain("Last hour: 20 calls · 25.0% errors · p95 191 ms");
    const table = await (await app.request("/tools", { headers: viewer.headers })).text();
    expect(table).toMatch(/id="tool-note_search">.*<td>20<\/td><td class="bad">25.0%<\/td><td>191 ms<\/td>/);
  });

  it("disabling through the API hides the tool from a connected client and is recorded", async () => {
    const client = await connectedClient();
    expect(await listedNames(client)).toContain("note_delete");
    const app = createAdminApp(ctx);
    const response = await app.request(
      "/api/tools/note_delete",
      jsonWrite(operator, "PATCH", { enabled: false }),
    );
    expect(response.status).toBe(200);
    expect(await listedNames(client)).not.toContain("note_delete");
    expect(await lastToolAction("note_delete")).toMatchObject({
      actor: operator.user.username,
      action: "tool.update",
      before: { enabled: true },
      after: { enabled: false },
    });
    await app.request("/api/tools/note_delete", jsonWrite(operator, "PATCH", { enabled: true }));
    expect(await listedNames(client)).toContain("note_delete");
    await client.close();
  });

  it("disabling through the form hides the tool from a connected client and is recorded", async () => {
    const client = await connectedClient();
    const app = createAdminApp(ctx);
    const response = await app.request("/tools/note_list/disable", formPost(admin, {}));
    expect(response.status).toBe(303);
    expect(await listedNames(client)).not.toContain("note_list");
    expect(await lastToolAction("note_list")).toMatchObject({
      actor: admin.user.username,
      after: { enabled: false },
    });
    expect(response.headers.get("location")).toBe("/tools/note_list?done=saved");
    const page = await (await app.request("/tools/note_list?done=saved", { headers: admin.headers })).text();
    expect(page).toContain("Tool settings saved.");
    expect(page).toContain('action="/tools/note_list/enable"');
    const disabled = await (await app.request("/tools?state=disabled", { headers: admin.headers })).text();
    expect(disabled).toContain('id="tool-note_list"');
    expect((await app.request("/tools/note_list/enable", formPost(admin, {}))).status).toBe(303);
    expect(await listedNames(client)).toContain("note_list");
    await client.close();
  });

  it("sets and clears a description override and a rate limit through the form", async () => {
    const app = createAdminApp(ctx);
    await app.request(
      "/tools/note_get/settings",
      formPost(operator, { descriptionOverride: "<b>Fetch</b> one note", rateLimitPerMinute: "30" }),
    );
    const client = await connectedClient();
    const described = (await client.listTools()).tools.find((tool) => tool.name === "note_get");
    expect(described?.description).toBe("<b>Fetch</b> one note");
    const page = await (await app.request("/tools/note_get", { headers: operator.headers })).text();
    expect(page).toContain("&lt;b&gt;Fetch&lt;/b&gt; one note");
    expect(page).toContain("limited to 30 calls/min");
    const bad = await app.request(
      "/tools/note_get/settings",
      formPost(operator, { rateLimitPerMinute: "-2" }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("The rate limit must be a whole number");
    await app.request(
      "/tools/note_get/settings",
      formPost(operator, { descriptionOverride: "", rateLimitPerMinute: "" }),
    );
    expect((await client.listTools()).tools.find((tool) => tool.name === "note_get")?.description).not.toBe(
      "<b>Fetch</b> one note",
    );
    await client.close();
  });

  it("refuses a strict PATCH body: unknown field, wrong type, unknown tool", async () => {
    const app = createAdminApp(ctx);
    const unknown = await app.request("/api/tools/echo", jsonWrite(admin, "PATCH", { hidden: true }));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { message: 'Unknown field "hidden"' } });
    const wrong = await app.request(
      "/api/tools/echo",
      jsonWrite(admin, "PATCH", { rateLimitPerMinute: 1.5 }),
    );
    expect(wrong.status).toBe(400);
    expect((await app.request("/api/tools/nope", jsonWrite(admin, "PATCH", { enabled: false }))).status).toBe(
      404,
    );
  });

  it("refuses a viewer every change with 403", async () => {
    const app = createAdminApp(ctx);
    expect(
      (await app.request("/api/tools/echo", jsonWrite(viewer, "PATCH", { enabled: false }))).status,
    ).toBe(403);
    expect((await app.request("/tools/echo/disable", formPost(viewer, {}))).status).toBe(403);
    expect(
      (await app.request("/tools/echo/settings", formPost(viewer, { rateLimitPerMinute: "1" }))).status,
    ).toBe(403);
    expect((await app.request("/tools/echo/try", formPost(viewer, { arguments: "{}" }))).status).toBe(403);
  });
});

describe("/tools/:name/try", () => {
  it("runs the tool as the signed-in user, shows the result and audits the call under their name", async () => {
    const app = createAdminApp(ctx);
    const form = await app.request("/tools/echo/try", { headers: operator.headers });
    expect(await form.text()).toContain(`user:${operator.user.username}`);
    const text = '<img src=x onerror="alert(1)">';
    const response = await app.request(
      "/tools/echo/try",
      formPost(operator, { arguments: JSON.stringify({ text }) }),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Result");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=");
    await ctx.audit.flush(5_000);
    const [row] = (await listToolCalls(ctx.db.db, { principal: `user:${operator.user.username}` })).rows;
    expect(row).toMatchObject({ tool: "echo", transport: "admin", outcome: "ok", arguments: { text } });
  });

  it("shows a tool's error result in red and a readable error for bad JSON", async () => {
    const app = createAdminApp(ctx);
    const invalid = await app.request("/tools/echo/try", formPost(admin, { arguments: '{"text": 5}' }));
    const html = await invalid.text();
    expect(html).toContain("The tool answered with an error");
    expect(html).toContain('<pre class="error">');
    expect(html).toContain("text: ");
    const notJson = await app.request("/tools/echo/try", formPost(admin, { arguments: "{oops" }));
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toContain("The arguments are not valid JSON");
    expect((await app.request("/tools/nope/try", { headers: admin.headers })).status).toBe(404);
  });
});
