import { describe, expect, it } from "vitest";
import { parseLauncherArgs } from "./args.js";

describe("parseLauncherArgs", () => {
  it("defaults to the HTTP transport without the admin service", () => {
    expect(parseLauncherArgs([])).toEqual({ transport: "sse", admin: false });
  });

  it("accepts every transport and --admin", () => {
    expect(parseLauncherArgs(["--transport", "stdio"])).toEqual({ transport: "stdio", admin: false });
    expect(parseLauncherArgs(["--transport=both", "--admin"])).toEqual({ transport: "both", admin: true });
  });

  it("rejects an unknown transport or flag with a message", () => {
    expect(() => parseLauncherArgs(["--transport", "grpc"])).toThrow(/must be one of stdio, sse, both.*grpc/);
    expect(() => parseLauncherArgs(["--verbose"])).toThrow(/verbose/);
  });

  it("recognises --help", () => {
    expect(parseLauncherArgs(["--help"])).toBe("help");
  });
});
