import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("MCP_AUTH", () => {
  it.each([
    [{}, "local"],
    [{ HOST: "localhost" }, "local"],
    // The rule is per connection, so binding every interface does not open anything up.
    [{ HOST: "0.0.0.0" }, "local"],
    [{ NODE_ENV: "production" }, "required"],
    [{ NODE_ENV: "production", HOST: "127.0.0.1" }, "required"],
    [{ HOST: "0.0.0.0", MCP_AUTH: "off" }, "off"],
    [{ MCP_AUTH: "required" }, "required"],
    [{ NODE_ENV: "production", MCP_AUTH: "local" }, "local"],
  ])("with %j is %s", (env, expected) => {
    expect(loadConfig(env).MCP_AUTH).toBe(expected);
  });

  it("refuses any other value", () => {
    expect(() => loadConfig({ MCP_AUTH: "maybe" })).toThrow(/MCP_AUTH/);
  });
});
