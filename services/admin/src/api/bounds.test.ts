import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
});
afterAll(() => ctx.close());

// Both were 500s, found by the fuzz test (fuzz.test.ts).
describe("values past what the database or the stack can hold", () => {
  it("refuses a rate limit beyond 1,000,000 a minute with 400 naming it (the column is 32-bit)", async () => {
    const app = createAdminApp(ctx);
    const limit = Number.MAX_SAFE_INTEGER;
    const key = await app.request(
      "/api/keys",
      jsonWrite(admin, "POST", { name: "k", scope: { kind: "all" }, rateLimitPerMinute: limit }),
    );
    expect(key.status).toBe(400);
    expect(await key.json()).toMatchObject({ error: { details: { field: "rateLimitPerMinute" } } });
    const tool = await app.request(
      "/api/tools/echo",
      jsonWrite(admin, "PATCH", { rateLimitPerMinute: 2 ** 31 }),
    );
    expect(tool.status).toBe(400);
  });

  it("refuses a body nested hundreds of thousands deep with 400, not a stack overflow", async () => {
    const deep = `{"name":${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    const response = await createAdminApp(ctx).request("/api/keys", {
      ...jsonWrite(admin, "POST", {}),
      body: deep,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringMatching(/nested too deeply/) },
    });
  });
});
