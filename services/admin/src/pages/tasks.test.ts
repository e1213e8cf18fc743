import { type AppContext, adminAudit } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, type SignedIn, signIn } from "../test-support.js";
import { startRunningTask } from "../testing/tasks.js";

let ctx: AppContext;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  [operator, viewer] = await Promise.all([signIn(ctx, "operator"), signIn(ctx, "viewer")]);
});
afterAll(() => ctx.close());

const page = async (who: SignedIn, path = "/tasks") => {
  const response = await createAdminApp(ctx).request(path, { headers: who.headers });
  expect(response.status).toBe(200);
  return response.text();
};
// The table row of one task (ids are uuids: nothing in one is special to a pattern).
const rowOf = (html: string, id: string) =>
  new RegExp(`<tr id="task-${id}">.*?</tr>`, "s").exec(html)?.[0] ?? "";

describe("/tasks", () => {
  it("shows a running task with its tool, caller and status, and a Cancel button for an operator", async () => {
    const { id } = await startRunningTask(ctx);
    const html = await page(operator);
    expect(html).toContain('<a href="/tasks" aria-current="page">Tasks</a>');
    const row = rowOf(html, id);
    expect(row).toContain("until_cancelled");
    expect(row).toContain("<td>local</td>");
    expect(row).toContain("working");
    expect(row).toContain(`<form class="inline" method="post" action="/tasks/${id}/cancel">`);
    expect(row).toContain(`name="_csrf" value="${operator.csrf}"`);
    expect(row).toContain("Cancel</button>");
    await ctx.tasks.cancel(undefined, id);
  });

  it("offers a viewer no Cancel button, and refuses a viewer's cancel with 403", async () => {
    const { id } = await startRunningTask(ctx);
    const row = rowOf(await page(viewer), id);
    expect(row).toContain("working");
    expect(row).not.toContain("/cancel");
    const refused = await createAdminApp(ctx).request(`/tasks/${id}/cancel`, formPost(viewer, {}));
    expect(refused.status).toBe(403);
    expect(rowOf(await page(viewer), id)).toContain("working");
    await ctx.tasks.cancel(undefined, id);
  });

  it("cancels a task from its Cancel button: the page then shows it cancelled, without the button", async () => {
    const { id, stopped } = await startRunningTask(ctx);
    const app = createAdminApp(ctx);
    const done = await app.request(`/tasks/${id}/cancel`, formPost(operator, {}));
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/tasks?done=cancelled");
    await stopped;
    const html = await page(operator, "/tasks?done=cancelled");
    expect(html).toContain("The task was cancelled");
    const row = rowOf(html, id);
    expect(row).toContain("cancelled");
    expect(row).toContain("Cancelled");
    expect(row).not.toContain("/cancel");
    const audit = (await ctx.db.db.select().from(adminAudit)).filter((action) => action.targetId === id);
    expect(audit).toMatchObject([
      { actor: operator.user.username, action: "task.cancel", targetType: "task" },
    ]);
    // A second post (a stale page's button) changes nothing and says the task had ended.
    const again = await app.request(`/tasks/${id}/cancel`, formPost(operator, {}));
    expect(again.headers.get("location")).toBe("/tasks?done=ended");
  });

  it("answers 404 for a cancel of an unknown task", async () => {
    const response = await createAdminApp(ctx).request(
      "/tasks/00000000-0000-4000-8000-000000000000/cancel",
      formPost(operator, {}),
    );
    expect(response.status).toBe(404);
  });

  it("shows an empty state when there are no tasks", async () => {
    const empty = await createTestContext({ ADMIN_PORT: "9091" });
    try {
      const who = await signIn(empty, "viewer");
      const html = await (await createAdminApp(empty).request("/tasks", { headers: who.headers })).text();
      expect(html).toContain("No tasks.");
    } finally {
      await empty.close();
    }
  });
});
