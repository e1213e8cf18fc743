import { type AppContext, adminAudit, insertTask } from "@mcp-tools/core";
import { createTestContext, installAuditRefusal } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { jsonWrite, type SignedIn, signInEveryRole } from "../test-support.js";
import { startRunningTask } from "../testing/tasks.js";

let ctx: AppContext;
let who: Awaited<ReturnType<typeof signInEveryRole>>;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  who = await signInEveryRole(ctx);
});
afterAll(() => ctx.close());

interface Listed {
  id: string;
  tool: string;
  principal: string;
  status: string;
  statusMessage: string | null;
  owner: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

const listed = async (as: SignedIn = who.viewer) => {
  const response = await createAdminApp(ctx).request("/api/tasks", { headers: as.headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as { tasks: Listed[] }).tasks;
};
const cancel = (as: SignedIn, id: string) =>
  createAdminApp(ctx).request(`/api/tasks/${id}/cancel`, jsonWrite(as, "POST", {}));
const auditRowsOf = async (id: string) =>
  (await ctx.db.db.select().from(adminAudit)).filter((row) => row.targetId === id);
const statusOf = async (id: string) => (await listed()).find((task) => task.id === id)?.status;

describe("GET /api/tasks", () => {
  it("lists a running task of any caller, with who started it and the process running it", async () => {
    const { id } = await startRunningTask(ctx);
    const task = (await listed()).find((listedTask) => listedTask.id === id);
    expect(task).toMatchObject({
      tool: "until_cancelled",
      principal: "local",
      status: "working",
      statusMessage: null,
      owner: ctx.presence.processId,
    });
    expect(new Date(task?.expiresAt ?? 0).getTime()).toBeGreaterThan(Date.now());
    expect(Object.keys(task ?? {}).sort()).toEqual(
      [
        "createdAt",
        "expiresAt",
        "id",
        "owner",
        "principal",
        "status",
        "statusMessage",
        "tool",
        "updatedAt",
      ].sort(),
    );
    await ctx.tasks.cancel(undefined, id);
  });

  it("shows a task whose process no longer beats as failed, after the running ones", async () => {
    // Started first: the orphan, changed later, would come first were it still taken for running.
    const { id: running } = await startRunningTask(ctx);
    const orphan = await insertTask(ctx.db.db, {
      principal: "key:mcp_orphan",
      tool: "echo",
      owner: "a-process-that-stopped",
      ttlMs: 60_000,
    });
    const tasks = await listed();
    expect(tasks.find((task) => task.id === orphan.id)).toMatchObject({
      status: "failed",
      statusMessage: expect.stringMatching(/stopped before it finished/),
    });
    expect(tasks.findIndex((task) => task.id === running)).toBeLessThan(
      tasks.findIndex((task) => task.id === orphan.id),
    );
    await ctx.tasks.cancel(undefined, running);
  });
});

describe("POST /api/tasks/{id}/cancel", () => {
  it("cancels a running task for an operator, stopping its tool, and records who did in the admin audit", async () => {
    const { id, stopped } = await startRunningTask(ctx);
    const response = await cancel(who.operator, id);
    expect(response.status).toBe(200);
    await expect(stopped).resolves.toMatchObject({ message: "The task was cancelled" });
    expect(await response.json()).toMatchObject({
      task: { id, status: "cancelled" },
      alreadyEnded: false,
      message: "The task was cancelled",
    });
    expect(await statusOf(id)).toBe("cancelled");
    expect(await auditRowsOf(id)).toEqual([
      expect.objectContaining({
        actor: who.operator.user.username,
        action: "task.cancel",
        targetType: "task",
        before: { status: "working", tool: "until_cancelled", principal: "local" },
        after: { status: "cancelled" },
      }),
    ]);
  });

  it("leaves an ended task as it is and says so, recording nothing", async () => {
    const { id } = await startRunningTask(ctx);
    expect((await cancel(who.admin, id)).status).toBe(200);
    const again = await cancel(who.admin, id);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      task: { id, status: "cancelled" },
      alreadyEnded: true,
      message: "The task had already ended (cancelled)",
    });
    expect(await auditRowsOf(id)).toHaveLength(1);
  });

  it("refuses a viewer with 403, and the task runs on", async () => {
    const { id } = await startRunningTask(ctx);
    const response = await cancel(who.viewer, id);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(await statusOf(id)).toBe("working");
    expect(await auditRowsOf(id)).toEqual([]);
    await ctx.tasks.cancel(undefined, id);
  });

  it("refuses a cancel without the CSRF token", async () => {
    const { id } = await startRunningTask(ctx);
    const response = await createAdminApp(ctx).request(`/api/tasks/${id}/cancel`, {
      method: "POST",
      headers: { ...who.operator.headers, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect(await statusOf(id)).toBe("working");
    await ctx.tasks.cancel(undefined, id);
  });

  it("leaves the task running when its audit row cannot be written, and says so with 503", async () => {
    const refusingAudit = await installAuditRefusal(ctx.db.db);
    const { id } = await startRunningTask(ctx);
    const response = await refusingAudit(async () => cancel(who.operator, id));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: { code: "UNAVAILABLE", message: expect.stringContaining("The change was not made") },
    });
    expect(await statusOf(id)).toBe("working");
    await ctx.tasks.cancel(undefined, id);
  });

  it("answers 404 for an unknown task", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-task", "%00"]) {
      const response = await cancel(who.operator, id);
      expect(`${id} → ${response.status}`).toBe(`${id} → 404`);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });
});
