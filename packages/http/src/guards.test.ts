import { isLoopbackHost } from "@mcp-tools/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { hostGuard } from "./host-guard.js";
import { errorHandler } from "./on-error.js";
import { originGuard } from "./origin-guard.js";

function appWith(...guards: Parameters<Hono["use"]>[1][]) {
  const app = new Hono();
  app.onError(errorHandler());
  for (const guard of guards) app.use(guard);
  app.get("/", (c) => c.text("ok"));
  return app;
}

describe("hostGuard", () => {
  const loopback = appWith(hostGuard({ bindHost: "127.0.0.1", port: 9090 }));

  it.each(["localhost:9090", "127.0.0.1:9090", "[::1]:9090", "LOCALHOST:9090"])(
    "lets Host %s through when bound to loopback",
    async (host) => {
      const res = await loopback.request("/", { headers: { host } });
      expect(res.status).toBe(200);
    },
  );

  it.each(["attacker.example:9090", "localhost:9091", "localhost", "127.0.0.1.nip.io:9090"])(
    "refuses Host %s with 403 and a JSON error when bound to loopback",
    async (host) => {
      const res = await loopback.request("/", { headers: { host } });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: { code: "FORBIDDEN", message: `Forbidden: Host ${JSON.stringify(host)} is not allowed` },
      });
    },
  );

  it("reads the Host from the URL when the request has no header", async () => {
    expect((await loopback.request("http://localhost:9090/")).status).toBe(200);
    expect((await loopback.request("http://evil.example:9090/")).status).toBe(403);
  });

  it("does not check Host on a public interface without ALLOWED_HOSTS", async () => {
    const app = appWith(hostGuard({ bindHost: "0.0.0.0", port: 9090 }));
    expect((await app.request("/", { headers: { host: "mcp.example.com" } })).status).toBe(200);
  });

  it("checks ALLOWED_HOSTS on any interface; an entry without a port matches every port", async () => {
    const app = appWith(
      hostGuard({ bindHost: "0.0.0.0", port: 9090, allowedHosts: ["mcp.example.com", "10.0.0.5:9090"] }),
    );
    expect((await app.request("/", { headers: { host: "mcp.example.com" } })).status).toBe(200);
    expect((await app.request("/", { headers: { host: "MCP.example.com:443" } })).status).toBe(200);
    expect((await app.request("/", { headers: { host: "10.0.0.5:9090" } })).status).toBe(200);
    expect((await app.request("/", { headers: { host: "10.0.0.5:9091" } })).status).toBe(403);
    expect((await app.request("/", { headers: { host: "localhost:9090" } })).status).toBe(403);
  });

  it("follows a port known only after listening", async () => {
    let port = 0;
    const app = appWith(hostGuard({ bindHost: "localhost", port: () => port }));
    port = 41234;
    expect((await app.request("/", { headers: { host: "127.0.0.1:41234" } })).status).toBe(200);
    port = 41235;
    expect((await app.request("/", { headers: { host: "127.0.0.1:41234" } })).status).toBe(403);
  });
});

describe("originGuard", () => {
  const app = appWith(originGuard({ port: 9090 }));

  it("lets requests without Origin through (non-browser clients)", async () => {
    expect((await app.request("/")).status).toBe(200);
  });

  it.each(["http://localhost:9090", "http://127.0.0.1:9090", "http://[::1]:9090"])(
    "lets the server's own origin %s through",
    async (origin) => {
      expect((await app.request("/", { headers: { origin } })).status).toBe(200);
    },
  );

  it.each(["http://evil.example", "http://localhost:3000", "https://localhost:9090", "null"])(
    "refuses Origin %s with 403",
    async (origin) => {
      const res = await app.request("/", { headers: { origin } });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    },
  );

  it("uses ALLOWED_ORIGINS instead of the defaults", async () => {
    const configured = appWith(originGuard({ port: 9090, allowedOrigins: ["https://app.example.com/"] }));
    expect((await configured.request("/", { headers: { origin: "https://app.example.com" } })).status).toBe(
      200,
    );
    expect((await configured.request("/", { headers: { origin: "http://localhost:9090" } })).status).toBe(
      403,
    );
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.1", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
