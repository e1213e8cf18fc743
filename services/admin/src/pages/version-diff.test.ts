import { describe, expect, it } from "vitest";
import { niceCeiling } from "./calls-chart.js";
import { definitionDiff } from "./version-diff.js";

describe("definitionDiff", () => {
  it("marks removed and added lines and cuts long unchanged runs to their context", () => {
    const before = {
      name: "a",
      description: "old",
      ...Object.fromEntries([...Array(10).keys()].map((n) => [`k${n}`, n])),
    };
    const after = { ...before, description: "new" };
    const lines = definitionDiff(before, after);
    expect(lines).toContainEqual({ mark: "-", text: '  "description": "old",' });
    expect(lines).toContainEqual({ mark: "+", text: '  "description": "new",' });
    // Two lines before the change, three after it; the other eight are counted, not shown.
    expect(lines.at(-1)).toEqual({ skipped: 8 });
    expect(lines.filter((line) => "mark" in line && line.mark === " ")).toHaveLength(5);
  });

  it("shows a new tool as all added", () => {
    const lines = definitionDiff({}, { name: "a" });
    expect(lines).toContainEqual({ mark: "+", text: '  "name": "a"' });
  });
});

describe("niceCeiling", () => {
  it("rounds an axis up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 1, 3, 7, 10, 11, 180, 4_200].map(niceCeiling)).toEqual([1, 1, 5, 10, 10, 20, 200, 5_000]);
  });
});
