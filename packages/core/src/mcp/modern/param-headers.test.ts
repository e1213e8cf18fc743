import { describe, expect, it } from "vitest";
import { headerParamsOf, paramHeaderMismatch } from "./param-headers.js";

const tool = (properties: Record<string, unknown>) => ({
  name: "t",
  inputSchema: { type: "object" as const, properties: properties as Record<string, object> },
});

describe("headerParamsOf", () => {
  it("finds mirrored arguments, nested ones included, by their lower-case header name", () => {
    const params = headerParamsOf(
      tool({
        region: { type: "string", "x-mcp-header": "Region" },
        options: { type: "object", properties: { dry: { type: "boolean", "x-mcp-header": "Dry-Run" } } },
        plain: { type: "string" },
      }),
    );
    expect(params).toEqual([
      { header: "mcp-param-region", path: ["region"], type: "string" },
      { header: "mcp-param-dry-run", path: ["options", "dry"], type: "boolean" },
    ]);
  });

  it.each([
    ["a name that is not a token", { a: { type: "string", "x-mcp-header": "Bad Name" } }],
    ["a number argument", { a: { type: "number", "x-mcp-header": "A" } }],
    ["an array argument", { a: { type: "array", "x-mcp-header": "A" } }],
    [
      "two names the same but for case",
      { a: { type: "string", "x-mcp-header": "A" }, b: { type: "string", "x-mcp-header": "a" } },
    ],
  ])("refuses %s as an invalid tool definition", (_, properties) => {
    expect(() => headerParamsOf(tool(properties))).toThrow(/Tool t has an invalid definition/);
  });
});

describe("paramHeaderMismatch", () => {
  const params = headerParamsOf(
    tool({
      region: { type: "string", "x-mcp-header": "Region" },
      count: { type: "integer", "x-mcp-header": "Count" },
      dry: { type: "boolean", "x-mcp-header": "Dry" },
    }),
  );
  const headersOf = (headers: Record<string, string>) => (name: string) => headers[name];

  it("accepts headers equal to the arguments: Base64 decoded, integers compared as numbers", () => {
    const args = { region: "Hello, 世界", count: 42, dry: false };
    const headers = {
      "mcp-param-region": `=?base64?${Buffer.from("Hello, 世界").toString("base64")}?=`,
      "mcp-param-count": "42.0",
      "mcp-param-dry": "false",
    };
    expect(paramHeaderMismatch(params, args, headersOf(headers))).toBeUndefined();
  });

  it("expects no header for an absent or null argument", () => {
    expect(paramHeaderMismatch(params, { region: null }, headersOf({}))).toBeUndefined();
    expect(paramHeaderMismatch(params, {}, headersOf({ "mcp-param-dry": "true" }))).toMatch(
      /is set but the argument is absent/,
    );
  });

  it.each([
    ["a missing header", { region: "eu" }, {}, /is required/],
    ["a different value", { region: "eu" }, { "mcp-param-region": "us" }, /does not match/],
    ["a different integer", { count: 7 }, { "mcp-param-count": "8" }, /does not match/],
    ["raw non-ASCII", { region: "é" }, { "mcp-param-region": "é" }, /characters a header may not carry/],
    ["broken Base64", { region: "eu" }, { "mcp-param-region": "=?base64?!!?=" }, /not valid Base64/],
  ])("refuses %s", (_, args, headers, message) => {
    expect(paramHeaderMismatch(params, args, headersOf(headers))).toMatch(message);
  });
});
