import { type AppContext, createMcpServer, localPrincipal } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { PromptListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start as startAdmin } from "./start.js";
import { chromiumAvailable, launchChromium, screenshot } from "./testing/browser.js";

const PASSWORD = "correct horse battery staple";
const FIRST = "Review this change for naming:\n{{change}}";
const SECOND = "Review this change for tests only:\n{{change}}";

describe.skipIf(!chromiumAvailable())("the prompt library, in a real browser", () => {
  let ctx: AppContext;
  let browser: Browser;
  let page: Page;
  let admin: Awaited<ReturnType<typeof startAdmin>>;
  let client: Client;
  let listChanges = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ ADMIN_PASSWORD: PASSWORD });
    admin = await startAdmin(ctx, { port: 0 });
    // An MCP client of the same context, as a client of the MCP service would be.
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
    client = new Client({ name: "browser-prompts-client", version: "1" });
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      listChanges += 1;
    });
    await client.connect(clientSide);
    // As a client does on connecting; the server tells of changes to a list once it has been read.
    expect((await client.listPrompts()).prompts).toEqual([]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await admin?.stop();
    await ctx?.close();
  });

  const reviewText = async () =>
    (await client.getPrompt({ name: "review", arguments: { change: "+ x" } })).messages.map((message) =>
      message.content.type === "text" ? message.content.text : "",
    );
  const versionCell = (version: number) => page.locator(`#version-${version}`);

  it("creates a prompt with the New prompt form, and a client gets it", async () => {
    await page.goto(`${admin.url}/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${admin.url}/`);
    await page.click('nav.main a[href="/prompts"]');
    expect(await page.textContent("main")).toContain("No prompts yet.");
    await page.fill('input[name="name"]', "review");
    await page.fill('input[name="title"]', "Review a change");
    await page.fill('input[name="arguments.0.name"]', "change");
    await page.fill('input[name="arguments.0.description"]', "The diff to review");
    await page.check('input[name="arguments.0.required"]');
    await page.fill('textarea[name="messages.0.text"]', FIRST);
    await screenshot(page, "prompts-01-new");
    await page.click('button:has-text("Create prompt")');
    await page.waitForURL(`${admin.url}/prompts/review?done=created`);
    expect(await page.textContent("main")).toContain("Version 1, saved");
    await expect.poll(() => listChanges, { timeout: 2_000 }).toBe(1);
    expect((await client.listPrompts()).prompts).toEqual([
      {
        name: "review",
        title: "Review a change",
        arguments: [{ name: "change", description: "The diff to review", required: true }],
      },
    ]);
    expect(await reviewText()).toEqual(["Review this change for naming:\n+ x"]);
  });

  it("edits it into a second version, which the client gets and completes instead", async () => {
    await page.fill('textarea[name="messages.0.text"]', SECOND);
    await page.fill('textarea[name="arguments.0.suggestions"]', "HEAD~1\norigin/main");
    await page.click('button:has-text("Save as a new version")');
    await page.waitForURL(/done=saved/);
    expect(await page.textContent("main")).toContain("Version 2, saved");
    expect(await reviewText()).toEqual(["Review this change for tests only:\n+ x"]);
    const ref = { type: "ref/prompt" as const, name: "review" };
    const completed = await client.complete({ ref, argument: { name: "change", value: "MAIN" } });
    expect(completed.completion.values).toEqual(["origin/main"]);
    await versionCell(1).locator("summary").click();
    const diff = versionCell(1).locator("pre.diff");
    expect((await diff.locator(".add").allTextContents()).join("\n")).toContain("for naming");
    expect((await diff.locator(".del").allTextContents()).join("\n")).toContain("origin/main");
    await screenshot(page, "prompts-02-versions");
  });

  it("rolls back to the first version: a third, and the client gets the first text again", async () => {
    await versionCell(1).locator('button:has-text("Roll back to this version")').click();
    await page.waitForURL(/done=rollback-1/);
    expect(await page.textContent("main")).toContain("a copy of version 1");
    expect(await page.textContent("main")).toContain("Version 3, saved");
    expect(await page.inputValue('textarea[name="messages.0.text"]')).toBe(FIRST);
    expect(await versionCell(1).textContent()).toContain("The same");
    await screenshot(page, "prompts-03-rolled-back");
    expect(await reviewText()).toEqual(["Review this change for naming:\n+ x"]);
    await page.click('a:has-text("All prompts")');
    expect(await page.locator("#prompt-review td").allTextContents()).toEqual(
      expect.arrayContaining(["review", "Review a change", "enabled", "3"]),
    );
  });

  it("disables it: the client no longer lists it", async () => {
    await page.click('a[href="/prompts/review"]');
    await page.click('button:has-text("Disable")');
    await page.waitForURL(/done=disabled/);
    expect((await client.listPrompts()).prompts).toEqual([]);
  });
});
