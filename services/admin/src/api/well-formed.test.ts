import { type AppContext, adminAudit, toolSettings } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
});
afterAll(() => ctx.close());

const toolAuditRows = async () =>
  (await ctx.db.db.select().from(adminAudit)).filter((row) => row.targetType === "tool");
const errorOf = async (response: Response) => ({
  status: response.status,
  ...((await response.json()) as { error: { message: string; details?: unknown } }).error,
});

describe("strings that cannot be stored as they are", () => {
  it("PATCH /api/tools/echo with a lone surrogate or NUL in the description: 400 naming it, nothing changed", async () => {
    const app = createAdminApp(ctx);
    for (const descriptionOverride of ["broken \ud800 text", "nul \u0000 inside"]) {
      const response = await app.request(
        "/api/tools/echo",
        jsonWrite(admin, "PATCH", { descriptionOverride }),
      );
      expect(await errorOf(response)).toMatchObject({
        status: 400,
        message: expect.stringMatching(/^descriptionOverride: must/),
        details: { field: "descriptionOverride" },
      });
    }
    expect(await ctx.db.db.select().from(toolSettings)).toEqual([]);
    expect(await toolAuditRows()).toEqual([]);
  });

  it("refuses them in every JSON body, in keys as well as values, naming where", async () => {
    const app = createAdminApp(ctx);
    const user = await app.request(
      "/api/users",
      jsonWrite(admin, "POST", { username: "x\udfff", role: "viewer", password: "a long password" }),
    );
    expect(await errorOf(user)).toMatchObject({ status: 400, details: { field: "username" } });
    const key = await app.request(
      "/api/keys",
      jsonWrite(admin, "POST", { name: "k", scope: { kind: "tools", tools: ["echo\u0000"] } }),
    );
    expect(await errorOf(key)).toMatchObject({ status: 400, details: { field: "scope.tools.0" } });
    const name = await app.request("/api/keys", jsonWrite(admin, "POST", { "na\ud800me": "k" }));
    expect(await errorOf(name)).toMatchObject({ status: 400, message: expect.stringContaining("its name") });
  });

  // A browser sends a lone surrogate in a form as U+FFFD, but a NUL as %00.
  it("refuses a form with a NUL in the description, as the API does", async () => {
    const response = await createAdminApp(ctx).request(
      "/tools/echo/settings",
      formPost(admin, { descriptionOverride: "nul \u0000 inside", rateLimitPerMinute: "" }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("descriptionOverride: must not contain NUL characters");
    expect(await ctx.db.db.select().from(toolSettings)).toEqual([]);
  });

  it("answers 400, not 500, for a NUL in a query parameter", async () => {
    const app = createAdminApp(ctx);
    for (const path of ["/api/audit?tool=%00", "/api/audit?principal=a%00b", "/api/notes?q=%00"]) {
      const response = await app.request(path, { headers: admin.headers });
      expect(`${path} → ${response.status}`).toBe(`${path} → 400`);
    }
  });
});
