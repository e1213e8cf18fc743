import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "./app.js";
import { local, type SignedIn, signIn } from "./test-support.js";

let ctx: AppContext;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  viewer = await signIn(ctx, "viewer");
});
afterAll(async () => {
  await ctx.close();
});

describe("admin app", () => {
  it("answers liveness and readiness", async () => {
    const app = createAdminApp(ctx);
    expect((await app.request("/health", { headers: local })).status).toBe(200);
    const ready = await app.request("/ready", { headers: local });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("lists the tools with their schemas and annotations", async () => {
    const response = await createAdminApp(ctx).request("/api/tools", { headers: viewer.headers });
    expect(response.status).toBe(200);
    const { tools } = (await response.json()) as {
      tools: Array<{ name: string; inputSchema: unknown; annotations: unknown }>;
    };
    const echo = tools.find((tool) => tool.name === "echo");
    expect(echo?.inputSchema).toMatchObject({ type: "object" });
    expect(echo?.annotations).toMatchObject({ readOnlyHint: true });
  });

  it("refuses a foreign Host or Origin with 403", async () => {
    const app = createAdminApp(ctx);
    expect((await app.request("/api/tools", { headers: { host: "evil.example:9091" } })).status).toBe(403);
    const foreign = await app.request("/api/tools", {
      headers: { ...viewer.headers, origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
  });

  it("answers an unknown path with a JSON 404 once signed in", async () => {
    const response = await createAdminApp(ctx).request("/api/nope", { headers: viewer.headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("shows a browser a page for an unknown path, and refuses an oversized body with 413", async () => {
    const app = createAdminApp(ctx);
    const page = await app.request("/nope", { headers: { ...viewer.headers, accept: "text/html" } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("Not found: GET /nope");
    const big = await app.request("/login", {
      method: "POST",
      headers: { ...local, "content-type": "application/x-www-form-urlencoded" },
      body: `username=${"x".repeat(ctx.config.MAX_BODY_BYTES)}`,
    });
    expect(big.status).toBe(413);
  });

  it("reports not ready while draining", async () => {
    const draining = await createTestContext();
    draining.lifecycle.startDraining();
    const response = await createAdminApp(draining, { port: 9091 }).request("/ready", { headers: local });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ reasons: ["draining: shutting down"] });
    await draining.close();
  });
});
