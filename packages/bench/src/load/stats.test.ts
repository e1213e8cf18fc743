import { describe, expect, it } from "vitest";
import { median, percentile } from "./stats.js";

describe("percentile", () => {
  it("takes the nearest rank of unsorted samples", () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile(samples, 0.99)).toBe(99);
    expect(percentile(samples, 1)).toBe(100);
  });

  it("is NaN without samples", () => {
    expect(median([])).toBeNaN();
  });
});

describe("median", () => {
  it("averages the two middle values of an even count", () => {
    expect(median([3, 1])).toBe(2);
    expect(median([5, 1, 3])).toBe(3);
  });
});
