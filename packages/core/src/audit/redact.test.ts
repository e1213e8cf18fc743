import { describe, expect, it } from "vitest";
import { sanitizeArguments } from "./redact.js";

describe("sanitizeArguments", () => {
  it("redacts secret-looking keys at any depth", () => {
    const clean = sanitizeArguments({
      text: "hi",
      password: "hunter2",
      nested: { apiKey: "k", api_key: "k2", Authorization: "Bearer x", list: [{ token: "t" }] },
    });
    expect(clean).toEqual({
      text: "hi",
      password: "[redacted]",
      nested: {
        apiKey: "[redacted]",
        api_key: "[redacted]",
        Authorization: "[redacted]",
        list: [{ token: "[redacted]" }],
      },
    });
  });

  it("truncates long strings and long arrays", () => {
    const clean = sanitizeArguments({
      body: "x".repeat(5_000),
      items: Array.from({ length: 60 }, (_, i) => i),
    }) as {
      body: string;
      items: unknown[];
    };
    expect(clean.body).toHaveLength(1_000 + "…[4000 more chars]".length);
    expect(clean.items).toHaveLength(51);
    expect(clean.items.at(-1)).toBe("[10 more items]");
  });
});

describe("sanitizeArguments makes arguments well-formed for jsonb", () => {
  it("replaces lone surrogates in values and keys", () => {
    expect(sanitizeArguments({ text: "a\ud800b", "k\udc00": ["\udfff"] })).toEqual({
      text: "a\uFFFDb",
      "k\uFFFD": ["\uFFFD"],
    });
  });

  it("keeps a surrogate pair whole when the cut falls inside it", () => {
    const clean = sanitizeArguments({ text: `${"a".repeat(999)}😀b` }) as { text: string };
    expect(clean.text).toBe(`${"a".repeat(999)}…[3 more chars]`);
    expect(clean.text.isWellFormed()).toBe(true);
  });

  it("replaces NUL in keys and values", () => {
    expect(sanitizeArguments({ "a\u0000b": "c\u0000d" })).toEqual({ "a\uFFFDb": "c\uFFFDd" });
  });

  it("cuts a 4 MiB string without looking past the cut", () => {
    const clean = sanitizeArguments({ text: `${"x".repeat(4 << 20)}\u0000\ud800` }) as { text: string };
    expect(clean.text).toBe(`${"x".repeat(1_000)}…[${(4 << 20) + 2 - 1_000} more chars]`);
  });

  it("keeps the first 100 keys of an object of 10,000 and says the rest were not kept", () => {
    const clean = sanitizeArguments(
      Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
    ) as Record<string, unknown>;
    expect(Object.keys(clean)).toHaveLength(101);
    expect(clean.k99).toBe(99);
    expect(clean.k100).toBeUndefined();
    expect(clean["…"]).toBe("[more keys not kept]");
  });

  it("cuts long keys", () => {
    const clean = sanitizeArguments({ ["k".repeat(5_000)]: 1 }) as Record<string, unknown>;
    expect(Object.keys(clean)).toEqual([`${"k".repeat(100)}…[4900 more chars]`]);
  });

  it("bounds the whole copy, however wide and deep the arguments", () => {
    // 100 keys a level, 4 levels: 100,000,000 strings of 2,000 characters as a tree (one object a level).
    let wide: unknown = "v".repeat(2_000);
    for (let depth = 0; depth < 4; depth++) {
      const inner = wide;
      wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, inner]));
    }
    const clean = sanitizeArguments(wide);
    expect(JSON.stringify(clean).length).toBeLessThan(100_000);
  });

  it("turns values JSON cannot carry into ones it can", () => {
    expect(sanitizeArguments({ big: 10n, skip: undefined, list: [undefined, () => 1] })).toEqual({
      big: "10",
      list: [null, null],
    });
  });
});
