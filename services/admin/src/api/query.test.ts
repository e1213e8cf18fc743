import { type AppContext, auditLog } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { local, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
});
afterAll(() => ctx.close());

const get = (path: string) => createAdminApp(ctx).request(path, { headers: { ...local, ...admin.headers } });
const errorOf = async (path: string) => {
  const response = await get(path);
  const { error } = (await response.json()) as { error: { message: string; details?: unknown } };
  return { status: response.status, ...error };
};

describe("query parameters", () => {
  it("answer 400 naming the parameter and what it must be", async () => {
    expect(await errorOf("/api/notes?limit=101")).toEqual({
      status: 400,
      code: "INVALID",
      message: "limit: must be a whole number from 1 to 100",
      details: { field: "limit" },
    });
    expect((await errorOf("/api/notes?limit=two")).message).toBe(
      "limit: must be a whole number from 1 to 100",
    );
    expect((await errorOf("/api/audit?outcome=fine")).message).toBe(
      "outcome: must be one of ok, error, invalid, timeout, cancelled, denied, rate_limited, input_required",
    );
    expect(await errorOf("/api/audit?from=yesterday")).toMatchObject({
      message: "from: not a date and time such as 2026-01-31T09:00",
      details: { field: "from" },
    });
    expect((await errorOf("/api/audit/admin?before=0")).message).toBe(
      "before: must be a positive whole number",
    );
    expect((await errorOf("/api/tool-versions?status=all")).message).toBe(
      "status: one of pending, approved, superseded, rejected",
    );
  });

  it("take a blank value as absent, and the first of a repeated one", async () => {
    expect((await get("/api/notes?limit=&tag=")).status).toBe(200);
    expect((await get("/api/audit?outcome=%20&from=&before=")).status).toBe(200);
    const at = new Date("2026-01-31T09:00:00Z");
    await ctx.db.db.insert(auditLog).values(
      ["ok", "error"].map((outcome) => ({
        at,
        tool: "echo",
        principal: "local",
        transport: "stdio",
        durationMs: 1,
        outcome,
      })),
    );
    const { calls } = (await (
      await get("/api/audit?outcome=error&outcome=ok&from=2026-01-31T09:00")
    ).json()) as {
      calls: { outcome: string }[];
    };
    expect(calls.map((call) => call.outcome)).toEqual(["error"]);
  });
});
