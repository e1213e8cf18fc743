import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("CONFORMANCE_FIXTURES", () => {
  it("is off unless set to true", () => {
    expect(loadConfig({}).CONFORMANCE_FIXTURES).toBe(false);
    expect(loadConfig({ CONFORMANCE_FIXTURES: "" }).CONFORMANCE_FIXTURES).toBe(false);
    expect(loadConfig({ CONFORMANCE_FIXTURES: "false" }).CONFORMANCE_FIXTURES).toBe(false);
    expect(loadConfig({ CONFORMANCE_FIXTURES: "true" }).CONFORMANCE_FIXTURES).toBe(true);
    expect(loadConfig({ NODE_ENV: "test", CONFORMANCE_FIXTURES: "true" }).CONFORMANCE_FIXTURES).toBe(true);
  });

  it("refuses any other value", () => {
    expect(() => loadConfig({ CONFORMANCE_FIXTURES: "yes" })).toThrow(/CONFORMANCE_FIXTURES/);
  });

  it("refuses to turn them on in production, naming the key", () => {
    const load = () => loadConfig({ NODE_ENV: "production", CONFORMANCE_FIXTURES: "true" });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CONFORMANCE_FIXTURES: must not be true in production/);
    expect(loadConfig({ NODE_ENV: "production", CONFORMANCE_FIXTURES: "false" }).CONFORMANCE_FIXTURES).toBe(
      false,
    );
  });
});
