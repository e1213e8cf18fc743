import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { PromptListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryBus } from "../bus/memory.js";
import type { AppContext } from "../context.js";
import { localPrincipal, type Principal } from "../mcp/principal.js";
import { createMcpServer } from "../mcp/server.js";
import { createTestContext } from "../testing/context.js";
import { createTestDatabase, realServiceUrl } from "../testing/services.js";
import { listPromptEntries, promptHistory, rollbackPrompt, savePrompt, setPromptEnabled } from "./manage.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function connect(on: AppContext, principal: Principal = localPrincipal) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(on, { principal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "prompts", version: "1" });
  let changes = 0;
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
    changes += 1;
  });
  await client.connect(clientSide);
  return { client, changes: () => changes };
}

const review = {
  title: "Review a change",
  description: "Asks for a careful review",
  arguments: [
    { name: "change", description: "The diff", required: true },
    { name: "focus", description: "What to look at" },
  ],
  messages: [
    { role: "user", text: "Review this change:\n{{change}}\nFocus on: {{ focus }}." },
    { role: "assistant", text: "I will." },
  ],
};

describe("the prompt library", () => {
  it("refuses a definition that would not make a prompt, naming the field", async () => {
    const refusals: Array<[string, unknown, RegExp]> = [
      ["bad name!", review, /^name: /],
      ["ok", { ...review, messages: [] }, /^messages: /],
      [
        "ok",
        { ...review, messages: [{ role: "user", text: "{{missing}}" }] },
        /^messages\.0\.text: \{\{missing\}\} is not one of/,
      ],
      ["ok", { ...review, arguments: [{ name: "a" }, { name: "a" }] }, /^arguments: a is declared twice/],
      ["ok", { ...review, messages: [{ role: "system", text: "x" }] }, /^messages\.0\.role: /],
    ];
    const suggesting = (suggestions: unknown) => ({
      ...review,
      arguments: [{ name: "change", suggestions }],
    });
    refusals.push(
      [
        "ok",
        suggesting(Array.from({ length: 101 }, (_, at) => `v${at}`)),
        /^arguments\.0\.suggestions: at most 100 suggested values$/,
      ],
      ["ok", suggesting(["ok", "x".repeat(201)]), /^arguments\.0\.suggestions\.1: at most 200 characters$/],
      ["ok", suggesting(["   "]), /^arguments\.0\.suggestions\.0: must not be empty$/],
      ["ok", suggesting(["a\u0000b"]), /^arguments\.0\.suggestions\.0: must not contain NUL/],
      ["ok", suggesting(["\ud800"]), /^arguments\.0\.suggestions\.0: must be well-formed Unicode/],
      ["ok", suggesting(["draft", " draft "]), /^arguments\.0\.suggestions\.1: draft is suggested twice$/],
      ["ok", suggesting("draft"), /^arguments\.0\.suggestions: /],
    );
    for (const [name, definition, message] of refusals)
      await expect(savePrompt(ctx, "alice", name, definition)).rejects.toThrow(message);
    expect(await listPromptEntries(ctx)).toEqual([]);
  });

  it("serves a saved prompt to 2025 clients, filled in, and tells them of changes", async () => {
    const { client, changes } = await connect(ctx);
    expect((await client.listPrompts()).prompts).toEqual([]);

    await savePrompt(ctx, "alice", "review", review);
    await expect.poll(changes, { timeout: 2_000 }).toBe(1);
    expect((await client.listPrompts()).prompts).toEqual([
      {
        name: "review",
        title: "Review a change",
        description: "Asks for a careful review",
        arguments: [
          { name: "change", description: "The diff", required: true },
          { name: "focus", description: "What to look at", required: false },
        ],
      },
    ]);
    const got = await client.getPrompt({
      name: "review",
      arguments: { change: "+ one line", focus: "names" },
    });
    expect(got.messages).toEqual([
      { role: "user", content: { type: "text", text: "Review this change:\n+ one line\nFocus on: names." } },
      { role: "assistant", content: { type: "text", text: "I will." } },
    ]);
    // $-patterns in a value are text, not replacement syntax.
    const dollars = await client.getPrompt({ name: "review", arguments: { change: "$& $1" } });
    expect(dollars.messages[0]?.content).toMatchObject({ text: "Review this change:\n$& $1\nFocus on: ." });
    await expect(client.getPrompt({ name: "review", arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining("arguments.change: required"),
    });
    await expect(client.getPrompt({ name: "nope" })).rejects.toMatchObject({ code: -32602 });

    await setPromptEnabled(ctx, "bob", "review", false);
    await expect.poll(changes, { timeout: 2_000 }).toBe(2);
    expect((await client.listPrompts()).prompts).toEqual([]);
    await setPromptEnabled(ctx, "bob", "review", true);
    await expect.poll(changes, { timeout: 2_000 }).toBe(3);
    await client.close();
  });

  it("keeps every version, and rolls back by making a new one from an earlier", async () => {
    await savePrompt(ctx, "alice", "review", { ...review, title: "Review, second take" });
    const rolled = await rollbackPrompt(ctx, "carol", "review", 1);
    expect(rolled).toMatchObject({
      currentVersion: 3,
      definition: { title: "Review a change" },
      updatedBy: "carol",
    });
    expect(
      (await promptHistory(ctx, "review")).map((version) => [
        version.version,
        version.definition.title,
        version.createdBy,
      ]),
    ).toEqual([
      [3, "Review a change", "carol"],
      [2, "Review, second take", "alice"],
      [1, "Review a change", "alice"],
    ]);
    await expect(rollbackPrompt(ctx, "carol", "review", 9)).rejects.toThrow("has no version 9");
    await expect(promptHistory(ctx, "missing")).rejects.toThrow("No prompt named");
  });

  it("shows a key scoped to named tools only the prompts it names", async () => {
    await savePrompt(ctx, "alice", "summarise", { messages: [{ role: "user", text: "Summarise." }] });
    const keyed = (scope: Principal["scope"]): Principal => ({
      id: "key:prompts",
      kind: "key",
      scope,
      key: { id: crypto.randomUUID(), prefix: "abcd1234" },
    });
    const named = await connect(ctx, keyed({ kind: "tools", tools: ["echo", "summarise"] }));
    const readOnly = await connect(ctx, keyed({ kind: "read-only" }));
    expect((await named.client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(["summarise"]);
    await expect(
      named.client.getPrompt({ name: "review", arguments: { change: "x" } }),
    ).rejects.toMatchObject({ code: -32602 });
    expect((await readOnly.client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual([
      "review",
      "summarise",
    ]);
    await Promise.all([named.client.close(), readOnly.client.close()]);
  });

  it("completes an argument from its suggested values, and still takes any value", async () => {
    const { client } = await connect(ctx);
    const saved = await savePrompt(ctx, "alice", "triage", {
      arguments: [
        {
          name: "area",
          suggestions: ["  Billing ", "Login", "Bill of materials", "Mobile billing", "Search"],
        },
        { name: "note" },
      ],
      messages: [{ role: "user", text: "Triage {{area}}: {{note}}" }],
    });
    expect(saved.definition.arguments[0]?.suggestions?.[0]).toBe("Billing");
    const complete = async (argument: string, value: string) =>
      (
        await client.complete({
          ref: { type: "ref/prompt", name: "triage" },
          argument: { name: argument, value },
        })
      ).completion;

    // Those that start with it (any case), then those that contain it, each as written.
    expect(await complete("area", "BIL")).toEqual({
      values: ["Billing", "Bill of materials", "Mobile billing"],
      hasMore: false,
      total: 3,
    });
    expect(await complete("area", "")).toMatchObject({ total: 5, hasMore: false });
    expect(await complete("area", "zzz")).toEqual({ values: [], hasMore: false, total: 0 });
    expect(await complete("note", "x")).toEqual({ values: [], hasMore: false, total: 0 });
    await expect(complete("missing", "x")).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining("has no argument missing"),
    });
    // A suggestion is a hint, not an enum.
    const got = await client.getPrompt({ name: "triage", arguments: { area: "Payroll", note: "slow" } });
    expect(got.messages[0]?.content).toEqual({ type: "text", text: "Triage Payroll: slow" });
    // prompts/list shows MCP's argument fields only.
    const listed = (await client.listPrompts()).prompts.find((prompt) => prompt.name === "triage");
    expect(listed?.arguments?.[0]).toEqual({ name: "area", required: false });
    await client.close();
  });
});

const databaseUrl = realServiceUrl("DATABASE_URL");

describe.skipIf(!databaseUrl)("the prompt library across processes (PostgreSQL)", () => {
  it("tells the clients of another process of a change, within a second", async () => {
    const database = await createTestDatabase(databaseUrl ?? "");
    const bus = createMemoryBus();
    const one = await createTestContext({ DATABASE_URL: database.url }, { bus });
    const two = await createTestContext({ DATABASE_URL: database.url }, { bus });
    try {
      const far = await connect(two);
      expect((await far.client.listPrompts()).prompts).toEqual([]);
      await savePrompt(one, "alice", "review", review);
      await expect.poll(far.changes, { timeout: 1_000 }).toBe(1);
      expect((await far.client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(["review"]);
      await far.client.close();
    } finally {
      await one.close();
      await two.close();
      await bus.close();
      await database.drop();
    }
  });
});
