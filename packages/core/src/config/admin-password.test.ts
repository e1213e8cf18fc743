import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("ADMIN_PASSWORD", () => {
  it("refuses a short one in production, naming the key without printing the value", () => {
    const load = () => loadConfig({ NODE_ENV: "production", ADMIN_PASSWORD: "hunter2" });
    expect(load).toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(load).not.toThrow(/hunter2/);
  });

  it("accepts a long one in production and a short one in development", () => {
    expect(
      loadConfig({ NODE_ENV: "production", ADMIN_PASSWORD: "a long enough password" }).ADMIN_PASSWORD,
    ).toBe("a long enough password");
    expect(loadConfig({ ADMIN_PASSWORD: "dev" }).ADMIN_PASSWORD).toBe("dev");
  });

  it("defaults sign-in limits and session lifetime", () => {
    expect(loadConfig({})).toMatchObject({
      ADMIN_SESSION_TTL_MS: 12 * 60 * 60_000,
      LOGIN_MAX_ATTEMPTS: 5,
      LOGIN_LOCKOUT_MS: 15 * 60_000,
    });
  });
});
