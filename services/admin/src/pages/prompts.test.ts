import { type AppContext, createMcpServer, localPrincipal, promptHistory, savePrompt } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, type SignedIn, signInEveryRole } from "../test-support.js";

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

const html = async (path: string, who: SignedIn = viewer) =>
  (await app.request(path, { headers: who.headers })).text();

// The fields a person fills in on the "New prompt" form (spare rows left empty, as a browser sends them).
const newPromptForm = (name: string, text: string) => ({
  name,
  title: "Summarise",
  description: "",
  "arguments.0.name": "topic",
  "arguments.0.description": "What to summarise",
  "arguments.0.required": "1",
  "arguments.1.name": "",
  "arguments.1.description": "",
  "messages.0.role": "user",
  "messages.0.text": text,
  "messages.1.role": "user",
  "messages.1.text": "",
});

async function getPromptText(name: string, args: Record<string, string>) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "prompt-pages-test", version: "1" });
  await client.connect(clientSide);
  try {
    const got = await client.getPrompt({ name, arguments: args });
    const content = got.messages.map((message) => message.content);
    return content.map((each) => (each.type === "text" ? each.text : each.type)).join("\n---\n");
  } finally {
    await client.close();
  }
}

async function completePromptText(name: string, argument: string, value: string) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "prompt-pages-test", version: "1" });
  await client.connect(clientSide);
  try {
    const answer = await client.complete({
      ref: { type: "ref/prompt", name },
      argument: { name: argument, value },
    });
    return answer.completion.values;
  } finally {
    await client.close();
  }
}

describe("/prompts", () => {
  it("creates a prompt through the form: clients get it, empty rows left out, lines kept", async () => {
    const created = await app.request(
      "/prompts",
      formPost(operator, newPromptForm("summarise", "Summarise {{topic}}.\r\nBe brief.")),
    );
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toBe("/prompts/summarise?done=created");
    const page = await html("/prompts/summarise?done=created", operator);
    expect(page).toContain("Prompt created: clients are told");
    expect(page).toContain('name="arguments.0.name" maxlength="64" value="topic"');
    expect(await getPromptText("summarise", { topic: "the news" })).toBe("Summarise the news.\nBe brief.");
    const [version] = await promptHistory(ctx, "summarise");
    expect(version?.definition).toEqual({
      title: "Summarise",
      arguments: [{ name: "topic", description: "What to summarise", required: true }],
      messages: [{ role: "user", text: "Summarise {{topic}}.\nBe brief." }],
    });
    expect(version?.createdBy).toBe(operator.user.username);
  });

  it("lists every prompt with its title, state, version and who changed it last, each linked", async () => {
    await savePrompt(ctx, admin.user.username, "listed", {
      title: "<script>alert(1)</script>",
      messages: [{ role: "user", text: "Hello." }],
    });
    const page = await html("/prompts");
    expect(page).toContain('<a href="/prompts" aria-current="page">Prompts</a>');
    expect(page).toMatch(
      new RegExp(
        `<tr id="prompt-listed"><td><a href="/prompts/listed"><strong>listed</strong></a></td>` +
          `<td>&lt;script&gt;alert\\(1\\)&lt;/script&gt;</td><td><span class="status ok">enabled</span></td>` +
          `<td>1</td><td>[0-9: -]+ UTC · ${admin.user.username}</td></tr>`,
      ),
    );
    // A viewer reads, with no form to change anything.
    expect(page).toContain("Operators and admins create and change prompts.");
    expect(page).not.toContain('action="/prompts"');
    const one = await html("/prompts/listed");
    expect(one).toContain('<pre class="definition">');
    expect(one).not.toContain('<form class="stack panel prompt"');
    expect(one).not.toContain("/prompts/listed/disable");
  });

  it("says what is wrong with a new prompt in the form's words, keeping what was typed", async () => {
    const refused = await app.request(
      "/prompts",
      formPost(operator, newPromptForm("typo", "Summarise {{topik}} please")),
    );
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain("Message 1, text: {{topik}} is not one of the prompt&#39;s arguments");
    expect(page).toContain('value="typo"');
    expect(page).toContain("Summarise {{topik}} please</textarea>");
    const badName = await app.request("/prompts", formPost(operator, newPromptForm("no spaces", "Hi")));
    expect(badName.status).toBe(400);
    expect(await badName.text()).toContain("name: 1 to 64 letters, digits, _ or -");
    expect((await app.request("/prompts/typo", { headers: operator.headers })).status).toBe(404);
  });

  it("does not let the new-prompt form save over a prompt that exists", async () => {
    await savePrompt(ctx, admin.user.username, "taken", { messages: [{ role: "user", text: "First." }] });
    const again = await app.request("/prompts", formPost(operator, newPromptForm("taken", "Second.")));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("A prompt named taken already exists");
    expect(await promptHistory(ctx, "taken")).toHaveLength(1);
  });

  it("saves an edit as a new version, shows the diff, and rolls back to a copy of an earlier one", async () => {
    await app.request("/prompts", formPost(admin, newPromptForm("story", "Tell a story about {{topic}}.")));
    const edit = newPromptForm("", "Tell a short story about {{topic}}.");
    const saved = await app.request("/prompts/story", formPost(operator, edit));
    expect(saved.headers.get("location")).toBe("/prompts/story?done=saved");
    expect(await getPromptText("story", { topic: "owls" })).toBe("Tell a short story about owls.");

    const page = await html("/prompts/story", operator);
    expect(page).toContain("Version 2, saved");
    expect(page).toMatch(/<tr id="version-2"><td>2 \(current\)<\/td>.*<span class="muted">The same<\/span>/);
    expect(page).toContain('<span class="del">-       &quot;text&quot;: &quot;Tell a short story');
    expect(page).toContain('<span class="add">+       &quot;text&quot;: &quot;Tell a story about');
    expect(page).toContain('<input type="hidden" name="version" value="1"/>');

    const rolled = await app.request("/prompts/story/rollback", formPost(operator, { version: "1" }));
    expect(rolled.headers.get("location")).toBe("/prompts/story?done=rollback-1");
    expect(await getPromptText("story", { topic: "owls" })).toBe("Tell a story about owls.");
    const after = await html("/prompts/story?done=rollback-1", operator);
    expect(after).toContain("Rolled back: the new current version is a copy of version 1.");
    expect(after).toContain("Version 3, saved");
    // Version 1 now reads as the current one, version 2 as the change a rollback would make.
    expect(after).toMatch(/<tr id="version-1">[\s\S]*?The same/);
    expect(after).toMatch(/<tr id="version-2">[\s\S]*?Roll back to this version/);
    expect((await promptHistory(ctx, "story")).map((version) => version.version)).toEqual([3, 2, 1]);

    const bad = await app.request("/prompts/story/rollback", formPost(operator, { version: "x" }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose a version to roll back to.");
    const missing = await app.request("/prompts/story/rollback", formPost(operator, { version: "9" }));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Prompt story has no version 9");
  });

  it("saves an argument's suggested values, one per line, for clients to complete, and shows the change", async () => {
    const form = { ...newPromptForm("tone", "Write in a {{topic}} tone."), "arguments.0.suggestions": "" };
    await app.request("/prompts", formPost(operator, form));
    const lines = " Friendly\r\n\r\nFormal, but warm\r\nPlayful ";
    const saved = await app.request(
      "/prompts/tone",
      formPost(operator, { ...form, "arguments.0.suggestions": lines }),
    );
    expect(saved.headers.get("location")).toBe("/prompts/tone?done=saved");
    const [version] = await promptHistory(ctx, "tone");
    expect(version?.definition.arguments[0]?.suggestions).toEqual([
      "Friendly",
      "Formal, but warm",
      "Playful",
    ]);
    expect(await completePromptText("tone", "topic", "f")).toEqual([
      "Friendly",
      "Formal, but warm",
      "Playful",
    ]);
    expect(await completePromptText("tone", "topic", "WARM")).toEqual(["Formal, but warm"]);

    const page = await html("/prompts/tone", operator);
    expect(page).toContain("Friendly\nFormal, but warm\nPlayful</textarea>");
    // Rolling back to version 1 would take them away.
    expect(page).toContain('<span class="del">-       &quot;suggestions&quot;: [\n');

    const twice = await app.request(
      "/prompts/tone",
      formPost(operator, { ...form, "arguments.0.suggestions": "Formal\r\nformal\r\nFormal" }),
    );
    expect(twice.status).toBe(400);
    const refused = await twice.text();
    expect(refused).toContain("Argument 1, suggested value 3: Formal is suggested twice");
    expect(refused).toContain("Formal\nformal\nFormal</textarea>");
    expect(await promptHistory(ctx, "tone")).toHaveLength(2);
  });

  it("disables and enables a prompt: clients stop and start getting it", async () => {
    await savePrompt(ctx, admin.user.username, "switch", { messages: [{ role: "user", text: "On." }] });
    const off = await app.request("/prompts/switch/disable", formPost(operator, {}));
    expect(off.headers.get("location")).toBe("/prompts/switch?done=disabled");
    await expect(getPromptText("switch", {})).rejects.toThrow(/unknown prompt switch/);
    const page = await html("/prompts/switch?done=disabled", operator);
    expect(page).toContain("Disabled: clients no longer list or get the prompt.");
    expect(page).toContain('action="/prompts/switch/enable"');
    expect((await app.request("/prompts/switch/enable", formPost(operator, {}))).status).toBe(303);
    expect(await getPromptText("switch", {})).toBe("On.");
  });

  it("refuses a viewer every change with 403, and answers 404 for a prompt that does not exist", async () => {
    await savePrompt(ctx, admin.user.username, "kept", { messages: [{ role: "user", text: "Kept." }] });
    for (const [path, fields] of [
      ["/prompts", newPromptForm("by-viewer", "Hi")],
      ["/prompts/kept", newPromptForm("", "Changed")],
      ["/prompts/kept/disable", {}],
      ["/prompts/kept/rollback", { version: "1" }],
    ] as const)
      expect(`${path} → ${(await app.request(path, formPost(viewer, fields))).status}`).toBe(`${path} → 403`);
    expect(await promptHistory(ctx, "kept")).toHaveLength(1);
    for (const path of ["/prompts/nope", "/prompts/nul%00inside"]) {
      const response = await app.request(path, { headers: { ...viewer.headers, accept: "text/html" } });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("Not found");
    }
    expect((await app.request("/prompts/nope", formPost(operator, newPromptForm("", "Hi")))).status).toBe(
      404,
    );
    expect((await app.request("/prompts/nope/disable", formPost(operator, {}))).status).toBe(404);
  });
});
