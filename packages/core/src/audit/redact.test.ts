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
