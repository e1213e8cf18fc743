import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceApp } from "./service-app.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe("createServiceApp", () => {
  it("runs `first` middleware around everything, guard refusals and health answers included", async () => {
    const app = createServiceApp(ctx, {
      port: 9090,
      first: [
        async (c, next) => {
          await next();
          c.res.headers.set("x-first", "yes");
        },
      ],
    });
    const health = await app.request("/health", { headers: { host: "127.0.0.1:9090" } });
    expect(health.status).toBe(200);
    expect(health.headers.get("x-first")).toBe("yes");
    const refused = await app.request("/metrics", { headers: { host: "evil.example:9090" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-first")).toBe("yes");
  });

  it("answers probes whatever the Host, even when ALLOWED_HOSTS names others", async () => {
    const guarded = await createTestContext({ HOST: "0.0.0.0", ALLOWED_HOSTS: "mcp.example.com" });
    try {
      const app = createServiceApp(guarded, { port: 9090 });
      const probe = { headers: { host: "10.1.2.3:9090" } };
      expect((await app.request("/health", probe)).status).toBe(200);
      expect((await app.request("/ready", probe)).status).toBe(200);
      expect((await app.request("/metrics", probe)).status).toBe(403);
    } finally {
      await guarded.close();
    }
  });
});
