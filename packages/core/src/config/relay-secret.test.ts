import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const redis = { REDIS_URL: "redis://127.0.0.1:6379" };
const secret = "s".repeat(32);

describe("RELAY_SECRET", () => {
  it("is required in production with REDIS_URL", () => {
    expect(() => loadConfig({ NODE_ENV: "production", ...redis })).toThrow(/RELAY_SECRET: is required/);
    expect(loadConfig({ NODE_ENV: "production", ...redis, RELAY_SECRET: secret }).RELAY_SECRET).toBe(secret);
  });

  it("is optional without Redis, or outside production", () => {
    expect(loadConfig({ NODE_ENV: "production" }).RELAY_SECRET).toBeUndefined();
    expect(loadConfig(redis).RELAY_SECRET).toBeUndefined();
  });

  it("refuses a short one without printing it", () => {
    const load = () => loadConfig({ RELAY_SECRET: "short-secret" });
    expect(load).toThrow(/RELAY_SECRET: must be at least 32 characters \(got \[redacted\]\)/);
    expect(load).not.toThrow(/short-secret/);
  });
});
