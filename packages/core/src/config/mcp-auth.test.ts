import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("MCP_AUTH", () => {
  it.each([
    [{}, "off"],
    [{ HOST: "localhost" }, "off"],
    [{ HOST: "0.0.0.0" }, "required"],
    [{ HOST: "10.1.2.3" }, "required"],
    [{ NODE_ENV: "production" }, "required"],
    [{ HOST: "0.0.0.0", MCP_AUTH: "off" }, "off"],
    [{ MCP_AUTH: "required" }, "required"],
  ])("with %j is %s", (env, expected) => {
    expect(loadConfig(env).MCP_AUTH).toBe(expected);
  });

  it("refuses any other value", () => {
    expect(() => loadConfig({ MCP_AUTH: "maybe" })).toThrow(/MCP_AUTH/);
  });
});
