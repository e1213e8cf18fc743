import { type AppContext, createMcpServer, listAdminActions, localPrincipal } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { jsonWrite, type SignedIn, signInEveryRole } from "../test-support.js";

let ctx: AppContext;
let app: ReturnType<typeof createAdminApp>;
let admin: SignedIn;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  app = createAdminApp(ctx);
  ({ admin, operator, viewer } = await signInEveryRole(ctx));
});
afterAll(() => ctx.close());

const review = (focus = "naming") => ({
  title: "Review a change",
  description: "Asks for a careful review",
  arguments: [{ name: "change", description: "The diff", required: true }],
  messages: [{ role: "user", text: `Review this change for ${focus}:\n{{change}}` }],
});

interface Entry {
  name: string;
  enabled: boolean;
  currentVersion: number;
  updatedBy: string;
  definition: { title?: string; messages: Array<{ text: string }> };
}

const save = (who: SignedIn, name: string, definition: unknown) =>
  app.request(`/api/prompts/${encodeURIComponent(name)}`, jsonWrite(who, "PUT", definition));
const post = (who: SignedIn, path: string, body: unknown) =>
  app.request(`/api/prompts/${path}`, jsonWrite(who, "POST", body));
const errorOf = async (response: Response) => ({
  status: response.status,
  ...((await response.json()) as { error: { code: string; message: string; details?: unknown } }).error,
});

async function connectedClient() {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "prompts-api-test", version: "1" });
  await client.connect(clientSide);
  return client;
}

describe("/api/prompts", () => {
  it("creates a prompt with PUT, lists it, serves it to MCP clients and records who did it", async () => {
    const saved = await save(operator, "review", review());
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({
      prompt: { name: "review", enabled: true, currentVersion: 1, updatedBy: operator.user.username },
    });
    const listed = (await (await app.request("/api/prompts", { headers: viewer.headers })).json()) as {
      prompts: Entry[];
    };
    expect(listed.prompts.find((entry) => entry.name === "review")).toMatchObject({
      currentVersion: 1,
      definition: { title: "Review a change", messages: [{ role: "user" }] },
    });
    const client = await connectedClient();
    const got = await client.getPrompt({ name: "review", arguments: { change: "+ x" } });
    expect(got.messages[0]?.content).toEqual({
      type: "text",
      text: "Review this change for naming:\n+ x",
    });
    await client.close();
    const actions = (await listAdminActions(ctx.db.db, { limit: 100 })).rows;
    expect(actions.find((row) => row.targetType === "prompt" && row.targetId === "review")).toMatchObject({
      actor: operator.user.username,
      action: "prompt.save",
    });
  });

  it("refuses a definition that would not make a prompt with 400 naming the field, saving nothing", async () => {
    const refusals: Array<[string, unknown, string]> = [
      ["broken", { ...review(), messages: [{ role: "user", text: "{{missing}}" }] }, "messages.0.text"],
      ["broken", { ...review(), messages: [] }, "messages"],
      ["broken", { ...review(), messages: [{ role: "system", text: "x" }] }, "messages.0.role"],
      ["broken", { ...review(), arguments: [{ name: "change" }, { name: "change" }] }, "arguments"],
      ["broken", { ...review(), system: "be nice" }, "system"],
      ["broken", { ...review(), title: "nul \u0000 inside" }, "title"],
      [
        "broken",
        { ...review(), arguments: [{ name: "change", suggestions: ["a", "a"] }] },
        "arguments.0.suggestions.1",
      ],
      [
        "broken",
        { ...review(), arguments: [{ name: "change", suggestions: ["x".repeat(201)] }] },
        "arguments.0.suggestions.0",
      ],
      ["not a name!", review(), "name"],
    ];
    for (const [name, definition, field] of refusals) {
      const refused = await errorOf(await save(admin, name, definition));
      expect(refused).toMatchObject({ status: 400, code: "INVALID", details: { field } });
      expect(refused.message).toMatch(field === "system" ? 'Unknown field "system"' : `${field}: `);
    }
    expect(
      (
        await errorOf(
          await save(admin, "broken", { ...review(), messages: [{ role: "user", text: "{{x}}" }] }),
        )
      ).message,
    ).toBe("messages.0.text: {{x}} is not one of the prompt's arguments");
    expect((await app.request("/api/prompts/broken", { headers: admin.headers })).status).toBe(404);
  });

  it("takes an argument's suggested values, and MCP clients complete from them", async () => {
    const definition = {
      ...review(),
      arguments: [{ name: "change", required: true, suggestions: ["HEAD~1", " main ", "origin/main"] }],
    };
    const saved = await save(operator, "suggesting", definition);
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { prompt: { definition: unknown } }).prompt.definition).toMatchObject({
      arguments: [{ name: "change", suggestions: ["HEAD~1", "main", "origin/main"] }],
    });
    const client = await connectedClient();
    try {
      const { completion } = await client.complete({
        ref: { type: "ref/prompt", name: "suggesting" },
        argument: { name: "change", value: "MAIN" },
      });
      expect(completion).toEqual({ values: ["main", "origin/main"], hasMore: false, total: 2 });
    } finally {
      await client.close();
    }
  });

  it("keeps every version, newest first, and a rollback makes version n+1 from an earlier one", async () => {
    await save(admin, "history", review("naming"));
    await save(operator, "history", review("tests"));
    const rolled = await post(operator, "history/rollback", { version: 1 });
    expect(rolled.status).toBe(200);
    expect(((await rolled.json()) as { prompt: Entry }).prompt).toMatchObject({
      currentVersion: 3,
      updatedBy: operator.user.username,
      definition: { messages: [{ text: "Review this change for naming:\n{{change}}" }] },
    });
    const read = (await (await app.request("/api/prompts/history", { headers: viewer.headers })).json()) as {
      prompt: Entry;
      versions: Array<{ version: number; createdBy: string; definition: Entry["definition"] }>;
    };
    expect(read.prompt.currentVersion).toBe(3);
    expect(
      read.versions.map((each) => [each.version, each.createdBy, each.definition.messages[0]?.text]),
    ).toEqual([
      [3, operator.user.username, "Review this change for naming:\n{{change}}"],
      [2, operator.user.username, "Review this change for tests:\n{{change}}"],
      [1, admin.user.username, "Review this change for naming:\n{{change}}"],
    ]);
    const actions = (await listAdminActions(ctx.db.db, { limit: 100 })).rows;
    expect(
      actions.find((row) => row.targetId === "history" && row.action === "prompt.rollback"),
    ).toMatchObject({
      after: { version: 3, from: 1 },
    });
    expect(await errorOf(await post(admin, "history/rollback", { version: 9 }))).toMatchObject({
      status: 404,
      message: "Prompt history has no version 9",
    });
  });

  it("enables and disables a prompt: clients stop and start seeing it, its versions stay", async () => {
    await save(admin, "toggled", review());
    const client = await connectedClient();
    const names = async () => (await client.listPrompts()).prompts.map((prompt) => prompt.name);
    expect(await names()).toContain("toggled");
    const off = await post(operator, "toggled/enabled", { enabled: false });
    expect(((await off.json()) as { prompt: Entry }).prompt).toMatchObject({
      enabled: false,
      currentVersion: 1,
    });
    expect(await names()).not.toContain("toggled");
    const on = await post(operator, "toggled/enabled", { enabled: true });
    expect(((await on.json()) as { prompt: Entry }).prompt.enabled).toBe(true);
    expect(await names()).toContain("toggled");
    await client.close();
    const actions = (await listAdminActions(ctx.db.db, { limit: 100 })).rows
      .filter((row) => row.targetId === "toggled")
      .map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(["prompt.disable", "prompt.enable"]));
  });

  it("refuses strict bodies: an unknown field or a version that is not a whole number", async () => {
    await save(admin, "strict", review());
    expect(await errorOf(await post(admin, "strict/enabled", { enabled: false, also: 1 }))).toMatchObject({
      status: 400,
      message: 'Unknown field "also"',
    });
    expect(await errorOf(await post(admin, "strict/enabled", { enabled: "no" }))).toMatchObject({
      status: 400,
      details: { field: "enabled" },
    });
    for (const version of [0, 1.5, "1", 2 ** 31])
      expect(await errorOf(await post(admin, "strict/rollback", { version }))).toMatchObject({
        status: 400,
        details: { field: "version" },
      });
  });

  it("answers 404 for a prompt that does not exist, or could not", async () => {
    for (const name of ["nope", "nul%00inside"]) {
      expect((await app.request(`/api/prompts/${name}`, { headers: viewer.headers })).status).toBe(404);
      expect((await post(admin, `${name}/enabled`, { enabled: false })).status).toBe(404);
      expect((await post(admin, `${name}/rollback`, { version: 1 })).status).toBe(404);
    }
  });

  it("lets a viewer read and refuses them every change with 403", async () => {
    await save(admin, "guarded", review());
    expect((await app.request("/api/prompts/guarded", { headers: viewer.headers })).status).toBe(200);
    for (const response of [
      await save(viewer, "guarded", review("anything")),
      await save(viewer, "new-from-viewer", review()),
      await post(viewer, "guarded/enabled", { enabled: false }),
      await post(viewer, "guarded/rollback", { version: 1 }),
    ])
      expect(await errorOf(response)).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const read = (await (await app.request("/api/prompts/guarded", { headers: admin.headers })).json()) as {
      prompt: Entry;
      versions: unknown[];
    };
    expect(read.prompt).toMatchObject({ enabled: true, currentVersion: 1 });
    expect(read.versions).toHaveLength(1);
    expect((await app.request("/api/prompts/new-from-viewer", { headers: admin.headers })).status).toBe(404);
  });

  it("refuses a change without the CSRF token", async () => {
    const response = await app.request("/api/prompts/no-token", {
      method: "PUT",
      headers: { ...admin.headers, "content-type": "application/json" },
      body: JSON.stringify(review()),
    });
    expect(response.status).toBe(403);
    expect((await app.request("/api/prompts/no-token", { headers: admin.headers })).status).toBe(404);
  });
});
