import { randomBytes } from "node:crypto";
import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { start as startMcp } from "@mcp-tools/mcp-sse";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start as startAdmin } from "./start.js";
import { chromiumAvailable, launchChromium, screenshot } from "./testing/browser.js";
import { startUpstream, type TestUpstream, ticketsDocument } from "./testing/upstream.js";

const PASSWORD = "correct horse battery staple";
const TOKEN = "tickets-token-from-the-browser";

describe.skipIf(!chromiumAvailable())("tools without code, in a real browser", () => {
  let ctx: AppContext;
  let browser: Browser;
  let page: Page;
  let admin: Awaited<ReturnType<typeof startAdmin>>;
  let mcp: Awaited<ReturnType<typeof startMcp>>;
  let upstream: TestUpstream;
  let client: Client;

  beforeAll(async () => {
    upstream = await startUpstream();
    ctx = await createTestContext({
      ADMIN_PASSWORD: PASSWORD,
      SECRETS_KEY: randomBytes(32).toString("base64"),
      EGRESS_ALLOW: "127.0.0.1",
    });
    admin = await startAdmin(ctx, { port: 0 });
    mcp = await startMcp(ctx, { port: 0 });
    client = new Client({ name: "browser-tools-client", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${mcp.url}/mcp`)));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await admin?.stop();
    await mcp?.stop();
    await ctx?.close();
    await upstream?.close();
  });

  const listed = async () => (await client.listTools()).tools.map((tool) => tool.name);

  it("signs in and imports two operations of an OpenAPI document", async () => {
    await page.goto(`${admin.url}/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${admin.url}/`);
    await page.click('nav.main a[href="/tools"]');
    await screenshot(page, "tools-01-table");
    await page.click('a[href="/tools/import-openapi"]');
    await page.fill('textarea[name="document"]', ticketsDocument(upstream.base));
    await page.click('button:has-text("Read the document")');
    await page.waitForSelector("table.operations");
    await screenshot(page, "tools-02-import-preview");
    await page.check('input[name="operations"][value="getTicket"]');
    await page.check('input[name="operations"][value="getQueue"]');
    await page.click('button:has-text("Import the chosen operations")');
    await page.waitForURL(/\/tools\?pending=1/);
    await screenshot(page, "tools-03-imported");
    expect(await page.textContent("body")).toContain("2 tools imported");
    expect(await listed()).not.toContain("get_ticket");
  });

  it("sets the secret the imported tools send", async () => {
    await page.goto(`${admin.url}/secrets`);
    await page.fill('input[name="name"]', "TICKETS");
    await page.fill('input[name="value"]', TOKEN);
    await page.click('form[action="/secrets"] button[type="submit"]');
    await page.waitForSelector("text=Secret saved.");
    await screenshot(page, "tools-04-secrets");
    expect(await page.content()).not.toContain(TOKEN);
  });

  it("approves both after reading what they are, and an SDK client calls them", async () => {
    for (const name of ["get_ticket", "get_queue"]) {
      await page.goto(`${admin.url}/tools?pending=1`);
      await page.click(`a[href="/tools/${name}"]`);
      await page.waitForSelector("#pending pre.definition");
      if (name === "get_ticket") await screenshot(page, "tools-05-pending-tool");
      await page.click('#pending button:has-text("Approve")');
      await page.waitForSelector("text=Approved: every client is served this version");
    }
    await screenshot(page, "tools-06-approved-tool");
    await expect
      .poll(listed, { timeout: 5_000 })
      .toEqual(expect.arrayContaining(["get_ticket", "get_queue"]));
    const result = await client.callTool({ name: "get_queue", arguments: { id: "Q-9" } });
    expect(result.structuredContent).toMatchObject({ id: "Q-9", status: "open" });
    expect(upstream.seen.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("calls an approved tool with try it", async () => {
    await page.goto(`${admin.url}/tools/get_ticket`);
    await page.click('a:has-text("Try it")');
    await page.fill('textarea[name="arguments"]', '{"id": "T-42"}');
    await page.click('button:has-text("Run")');
    await page.waitForSelector("text=Result");
    await screenshot(page, "tools-07-try-it");
    expect(await page.textContent("main")).toContain('"id": "T-42"');
    // Without its required argument: an error the dashboard counts.
    await page.fill('textarea[name="arguments"]', "{}");
    await page.click('button:has-text("Run")');
    await page.waitForSelector("text=The tool answered with an error");
  });

  it("with 200 more tools, finds one by searching", async () => {
    await page.goto(`${admin.url}/tools/import-openapi`);
    await page.fill('textarea[name="document"]', ticketsDocument(upstream.base, { extra: 200 }));
    await page.click('button:has-text("Read the document")');
    await page.waitForSelector("table.operations");
    await page.click('button:has-text("Import all")');
    await page.waitForURL(/\/tools\?pending=1/, { timeout: 60_000 });
    expect(await page.textContent("#tool-count")).toContain("201 of 209 tools");
    await page.goto(`${admin.url}/tools`);
    await screenshot(page, "tools-08-many");
    await page.fill('input[name="q"]', "report number 137");
    await page.click('button:has-text("Filter")');
    await page.waitForURL(/q=report/);
    await screenshot(page, "tools-09-search");
    const rows = await page.locator("table.tools tbody tr").allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("get_report137");
  }, 120_000);

  it("draws the calls of the last minutes on the dashboard", async () => {
    await page.goto(`${admin.url}/`);
    await page.waitForSelector("figure.chart svg");
    await screenshot(page, "tools-10-dashboard-chart");
    expect(await page.locator("figure.chart g.minute").count()).toBe(15);
    expect(await page.locator("figure.chart rect.errors").count()).toBeGreaterThan(0);
  });
});
