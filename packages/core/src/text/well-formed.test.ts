import { describe, expect, it } from "vitest";
import { findMalformed, MAX_JSON_DEPTH, wellFormedJson } from "./well-formed.js";

describe("findMalformed", () => {
  it("names the first value or key that cannot be stored, by its path", () => {
    expect(findMalformed({ a: "fine", b: ["ok", "lone \ud800"] })).toEqual({
      path: "b.1",
      reason: "must be well-formed Unicode (no lone surrogates)",
    });
    expect(findMalformed({ a: { "k\u0000": 1 } })).toEqual({
      path: "a.k\u0000",
      reason: "its name must not contain NUL characters",
    });
    expect(findMalformed({ emoji: "😀", n: 1, none: null })).toBeUndefined();
  });

  it("refuses nesting past MAX_JSON_DEPTH without walking it, however deep", () => {
    const deep = JSON.parse(`${"[".repeat(500_000)}${"]".repeat(500_000)}`);
    expect(findMalformed(deep)).toMatchObject({ reason: "is nested too deeply" });
    let shallow: unknown = "ok";
    for (let i = 0; i < MAX_JSON_DEPTH; i++) shallow = [shallow];
    expect(findMalformed(shallow)).toBeUndefined();
  });
});

describe("wellFormedJson", () => {
  it("replaces lone surrogates, drops NUL, in keys and values, and keeps pairs and dates", () => {
    const at = new Date(0);
    expect(wellFormedJson({ "k\udc00": ["a\u0000b", "😀", "\ud83d"], at })).toEqual({
      "k\ufffd": ["ab", "😀", "\ufffd"],
      at,
    });
  });
});
