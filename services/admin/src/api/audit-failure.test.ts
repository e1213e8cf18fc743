import type { AppContext } from "@mcp-tools/core";
import { createTestContext, installAuditRefusal } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let operator: SignedIn;
let refusingAudit: Awaited<ReturnType<typeof installAuditRefusal>>;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  operator = await signIn(ctx, "operator");
  refusingAudit = await installAuditRefusal(ctx.db.db);
});
afterAll(() => ctx.close());

const echoEnabled = async () => {
  const response = await createAdminApp(ctx).request("/api/tools", { headers: operator.headers });
  const { tools } = (await response.json()) as {
    tools: Array<{ name: string; settings: { enabled: boolean } }>;
  };
  return tools.find((tool) => tool.name === "echo")?.settings.enabled;
};

describe("a change whose audit row cannot be written", () => {
  it("is rolled back, and the API says so with 503 instead of a 500 with the change saved", async () => {
    const response = await refusingAudit(async () =>
      createAdminApp(ctx).request("/api/tools/echo", jsonWrite(operator, "PATCH", { enabled: false })),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: { code: "UNAVAILABLE", message: expect.stringContaining("The change was not made") },
    });
    expect(await echoEnabled()).toBe(true);
  });

  it("is rolled back, and the page says so", async () => {
    const response = await refusingAudit(async () =>
      createAdminApp(ctx).request("/tools/echo/disable", formPost(operator, {})),
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("The change was not made");
    expect(await echoEnabled()).toBe(true);
  });
});
