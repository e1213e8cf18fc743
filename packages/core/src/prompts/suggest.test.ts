import { describe, expect, it } from "vitest";
import { suggest } from "./suggest.js";

describe("suggest", () => {
  it("puts the values that start with what was typed before those that contain it, ignoring case", () => {
    expect(suggest(["a-code", "Code review", "encode", "CODEC", "docs"], "cOdE")).toEqual({
      values: ["Code review", "CODEC", "a-code", "encode"],
      hasMore: false,
      total: 4,
    });
  });

  it("answers every value, in order, when nothing is typed, and none when nothing matches", () => {
    expect(suggest(["b", "a"], "")).toEqual({ values: ["b", "a"], hasMore: false, total: 2 });
    expect(suggest(["b", "a"], "c")).toEqual({ values: [], hasMore: false, total: 0 });
  });

  it("answers at most 100 values, saying how many more match", () => {
    const many = Array.from({ length: 150 }, (_, at) => `x${at}`);
    const answer = suggest(many, "X");
    expect(answer.values).toHaveLength(100);
    expect(answer.values[0]).toBe("x0");
    expect(answer).toMatchObject({ hasMore: true, total: 150 });
  });
});
