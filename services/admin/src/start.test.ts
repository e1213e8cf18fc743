import { type AppContext, listToolCalls } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "./start.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext({ AUDIT_RETENTION_DAYS: "30", ADMIN_PASSWORD: "a test password" });
});
afterAll(() => ctx.close());

describe("start", () => {
  it("prunes audit rows past AUDIT_RETENTION_DAYS as soon as it starts, and stops cleanly", async () => {
    const call = { tool: "echo", transport: "stdio", durationMs: 1, outcome: "ok" as const, arguments: {} };
    ctx.audit.record({ ...call, principal: "old", at: new Date(Date.now() - 31 * 86_400_000) });
    ctx.audit.record({ ...call, principal: "recent", at: new Date(Date.now() - 29 * 86_400_000) });
    await ctx.audit.flush(5_000);
    const service = await start(ctx, { host: "127.0.0.1", port: 0 });
    try {
      await expect
        .poll(async () => (await listToolCalls(ctx.db.db)).rows.map((row) => row.principal))
        .toEqual(["recent"]);
    } finally {
      await service.stop();
    }
  });
});
