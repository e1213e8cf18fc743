import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("gives safe laptop defaults for an empty environment", () => {
    const config = loadConfig({});
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.MCP_PORT).toBe(9090);
    expect(config.ADMIN_PORT).toBe(9091);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe("./.data");
    expect(config.MAX_BODY_BYTES).toBe(4 * 1024 * 1024);
  });

  it("refuses a limit on calls in flight below the batch size, which a full batch could never pass", () => {
    expect(loadConfig({}).MAX_IN_FLIGHT_CALLS).toBeGreaterThanOrEqual(loadConfig({}).MAX_BATCH_MESSAGES);
    expect(() => loadConfig({ MAX_IN_FLIGHT_CALLS: "20", MAX_BATCH_MESSAGES: "50" })).toThrow(
      /MAX_IN_FLIGHT_CALLS: must be at least MAX_BATCH_MESSAGES \(50\)/,
    );
    expect(loadConfig({ MAX_IN_FLIGHT_CALLS: "20", MAX_BATCH_MESSAGES: "20" }).MAX_IN_FLIGHT_CALLS).toBe(20);
  });

  it("names every bad key in one error", () => {
    const load = () => loadConfig({ MCP_PORT: "abc", LOG_LEVEL: "loud", REDIS_URL: "not a url" });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const message = String((error as Error).message);
      expect(message).toContain("MCP_PORT");
      expect(message).toContain("LOG_LEVEL");
      expect(message).toContain("REDIS_URL");
      expect(message).toContain('"abc"');
    }
  });

  it("treats empty values as unset and splits lists", () => {
    const config = loadConfig({ DATABASE_URL: "", ALLOWED_ORIGINS: "https://a.example, https://b.example" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ALLOWED_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
  });

  it("normalises the public base path", () => {
    expect(loadConfig({ PUBLIC_BASE_PATH: "/tools/" }).PUBLIC_BASE_PATH).toBe("/tools");
    expect(() => loadConfig({ PUBLIC_BASE_PATH: "tools" })).toThrow(/PUBLIC_BASE_PATH/);
  });

  it("reads TRUSTED_PROXIES as addresses and CIDR ranges, none by default, and names a bad one", () => {
    expect(loadConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.1,fd00::/8" }).TRUSTED_PROXIES).toEqual([
      "10.0.0.0/8",
      "192.0.2.1",
      "fd00::/8",
    ]);
    for (const bad of ["proxy.example", "10.0.0.0/33", "10.0.0.1/8/1", "::1/129"])
      expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES: must be IP addresses/);
  });
});
