import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start as startAdmin } from "./start.js";
import { chromiumAvailable, launchChromium, screenshot } from "./testing/browser.js";
import { startRunningTask } from "./testing/tasks.js";

const PASSWORD = "correct horse battery staple";

describe.skipIf(!chromiumAvailable())("tasks, in a real browser", () => {
  let ctx: AppContext;
  let browser: Browser;
  let page: Page;
  let admin: Awaited<ReturnType<typeof startAdmin>>;

  beforeAll(async () => {
    ctx = await createTestContext({ ADMIN_PASSWORD: PASSWORD });
    admin = await startAdmin(ctx, { port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await admin?.stop();
    await ctx?.close();
  });

  it("cancels a running task from the Tasks page, and its tool stops", async () => {
    const { id, stopped } = await startRunningTask(ctx);
    await page.goto(`${admin.url}/login`);
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${admin.url}/`);
    await page.click('nav.main a[href="/tasks"]');
    const row = page.locator(`#task-${id}`);
    expect(await row.locator("td").allTextContents()).toEqual(
      expect.arrayContaining(["until_cancelled", "local", "working"]),
    );
    await screenshot(page, "tasks-01-running");
    await row.locator('button:has-text("Cancel")').click();
    await page.waitForURL(`${admin.url}/tasks?done=cancelled`);
    expect(await page.textContent("main")).toContain("The task was cancelled");
    expect(await row.locator("td").allTextContents()).toEqual(expect.arrayContaining(["cancelled"]));
    expect(await row.locator("button").count()).toBe(0);
    await expect(stopped).resolves.toMatchObject({ message: "The task was cancelled" });
    await screenshot(page, "tasks-02-cancelled");
  });
});
