import { describe, expect, it } from "vitest";
import { parseOptions } from "./options.js";

describe("parseOptions", () => {
  it("takes flags over environment variables over defaults", () => {
    const options = parseOptions(["--duration=2000", "--only=mcp-32,stdio"], {
      BENCH_DURATION_MS: "9000",
      BENCH_ROUNDS: "3",
    });
    expect(options).toMatchObject({ warmupMs: 1_000, durationMs: 2_000, rounds: 3, idleSessions: 5_000 });
    expect([...options.only]).toEqual(["mcp-32", "stdio"]);
  });

  it("refuses unbounded durations and unknown scenarios", () => {
    expect(() => parseOptions(["--duration=999999999"], {})).toThrow(
      /--duration must be an integer from 100/,
    );
    expect(() => parseOptions(["--only=mcp-64"], {})).toThrow(/Unknown scenario mcp-64/);
  });
});
