import { describe, expect, it } from "vitest";
import { parseOptions } from "./options.js";

describe("parseOptions", () => {
  it("takes flags over environment variables over defaults", () => {
    const options = parseOptions(["--duration=2000", "--only=mcp-32,stdio"], {
      BENCH_DURATION_MS: "9000",
      BENCH_ROUNDS: "3",
    });
    expect(options).toMatchObject({
      warmupMs: 1_000,
      durationMs: 2_000,
      rounds: 3,
      idleSessions: 5_000,
      spawns: 5,
    });
    expect([...options.only]).toEqual(["mcp-32", "stdio"]);
  });

  it("picks the start-up scenarios by id, and how many spawns each takes", () => {
    const options = parseOptions(["--only=spawn-new,idle-launcher-pg", "--spawns=9"], { BENCH_SPAWNS: "3" });
    expect(options.spawns).toBe(9);
    expect([...options.only]).toEqual(["spawn-new", "idle-launcher-pg"]);
    expect(parseOptions([], { BENCH_SPAWNS: "3" }).spawns).toBe(3);
    expect(() => parseOptions(["--spawns=0"], {})).toThrow(/--spawns must be an integer from 1 to 50/);
  });

  it("picks the HTTP tool scenarios by id", () => {
    expect([...parseOptions(["--only=http-tool-32,http-tool-1"], {}).only]).toEqual([
      "http-tool-32",
      "http-tool-1",
    ]);
  });

  it("refuses unbounded durations and unknown scenarios", () => {
    expect(() => parseOptions(["--duration=999999999"], {})).toThrow(
      /--duration must be an integer from 100/,
    );
    expect(() => parseOptions(["--only=mcp-64"], {})).toThrow(/Unknown scenario mcp-64/);
  });
});
