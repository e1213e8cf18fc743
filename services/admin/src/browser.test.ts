import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { start as startMcp } from "@mcp-tools/mcp-sse";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start as startAdmin } from "./start.js";
import { chromiumAvailable, launchChromium, screenshot } from "./testing/browser.js";

const PASSWORD = "correct horse battery staple";

describe.skipIf(!chromiumAvailable())("admin in a real browser", () => {
  let ctx: AppContext;
  let browser: Browser;
  let page: Page;
  let admin: Awaited<ReturnType<typeof startAdmin>>;
  let mcp: Awaited<ReturnType<typeof startMcp>>;
  let secret = "";
  let client: Client | undefined;
  let listChanges = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ ADMIN_PASSWORD: PASSWORD, MCP_AUTH: "required" });
    admin = await startAdmin(ctx, { port: 0 });
    mcp = await startMcp(ctx, { port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await admin?.stop();
    await mcp?.stop();
    await ctx?.close();
  });

  it("signs in", async () => {
    await page.goto(`${admin.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await screenshot(page, "01-login");
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${admin.url}/`);
    await screenshot(page, "02-dashboard");
    await expect(page.locator("body")).toBeTruthy();
    expect(await page.textContent("body")).toContain("admin");
  });

  it("shows the users page", async () => {
    await page.goto(`${admin.url}/users`);
    await screenshot(page, "03-users");
    expect(await page.textContent("body")).toContain("admin");
  });

  it("creates a key whose secret is shown once, and a client uses it", async () => {
    await page.goto(`${admin.url}/keys`);
    await screenshot(page, "04-keys");
    await page.fill('input[name="name"]', "browser <b>test</b>");
    await page.check('input[name="scope"][value="all"]');
    await page.click('form[action="/keys"] button[type="submit"]');
    await page.waitForSelector("pre.secret");
    await screenshot(page, "05-key-created");
    secret = ((await page.textContent("pre.secret")) ?? "").trim();
    expect(secret).toMatch(/^mcpt_[a-z0-9]{8}_[\w-]+$/);

    client = new Client({ name: "browser-test-client", version: "1" });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      listChanges += 1;
    });
    const headers = { Authorization: `Bearer ${secret}` };
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${mcp.url}/mcp`), { requestInit: { headers } }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("note_delete");
    const result = await client.callTool({ name: "echo", arguments: { text: "from the browser test" } });
    expect(result.structuredContent).toEqual({ text: "from the browser test" });
  });

  it("disables a tool, and it vanishes from the connected client's list", async () => {
    await page.goto(`${admin.url}/tools`);
    await screenshot(page, "06-tools");
    await page.click('a[href="/tools/note_delete"]');
    await page.click('form[action="/tools/note_delete/disable"] button');
    await page.waitForSelector('form[action="/tools/note_delete/enable"]');
    await expect.poll(() => listChanges, { timeout: 1_000 }).toBeGreaterThan(0);
    const { tools } = (await client?.listTools()) ?? { tools: [] };
    expect(tools.map((tool) => tool.name)).not.toContain("note_delete");
    await screenshot(page, "07-tool-disabled");
  });

  it("finds the key's call in the audit log", async () => {
    const prefix = secret.split("_")[1];
    await page.goto(`${admin.url}/audit?tool=echo`);
    await screenshot(page, "08-audit");
    const body = (await page.textContent("body")) ?? "";
    expect(body).toContain(`key:${prefix}`);
    expect(body).toContain("echo");
  });

  it("shows the connected client on the sessions page and the notes page", async () => {
    // Sessions are listed from each process's heartbeat, every few seconds.
    await expect
      .poll(
        async () => {
          await page.goto(`${admin.url}/sessions`);
          return page.textContent("body");
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toContain("streamable-http");
    await screenshot(page, "09-sessions");
    await client?.callTool({
      name: "note_save",
      arguments: { title: "Shared <i>note</i>", body: "from the browser test" },
    });
    await page.goto(`${admin.url}/notes`);
    await screenshot(page, "10-notes");
    expect(await page.textContent("body")).toContain("Shared <i>note</i>");
  });

  it("signs out", async () => {
    await page.click('form[action="/logout"] button');
    await page.waitForURL(/\/login/);
    expect(await page.textContent("body")).toContain("You are signed out.");
    await page.goto(`${admin.url}/users`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await screenshot(page, "11-signed-out");
  });
});
