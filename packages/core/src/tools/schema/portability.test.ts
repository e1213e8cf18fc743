import { describe, expect, it } from "vitest";
import { builtinTools } from "../builtin.js";
import { createToolRegistry } from "../registry.js";
import { portabilityIssues } from "./portability.js";

describe("portabilityIssues", () => {
  it("finds nothing to report in our own tools' schemas", () => {
    const issues = createToolRegistry(builtinTools)
      .descriptors()
      .flatMap((tool) =>
        [tool.inputSchema, tool.outputSchema].flatMap((schema) =>
          portabilityIssues(schema).map((issue) => `${tool.name} ${issue.path}: ${issue.problem}`),
        ),
      );
    expect(issues).toEqual([]);
  });

  it("reports a nullable type array with the rewrite that leaves the property out", () => {
    expect(
      portabilityIssues({ type: "object", properties: { nextCursor: { type: ["string", "null"] } } }),
    ).toEqual([
      {
        path: "/properties/nextCursor/type",
        problem: 'type is an array (["string","null"]), which Gemini rejects',
        suggestion: 'type "string", and leave the property out instead of sending null',
      },
    ]);
  });

  it("reports references, unportable keywords and formats where they are, nested ones included", () => {
    const issues = portabilityIssues({
      type: "object",
      $defs: { id: { type: "string" } },
      properties: {
        id: { $ref: "#/$defs/id" },
        when: { type: "string", format: "iso-week" },
        kind: { oneOf: [{ const: "a" }, { type: "array", items: { type: ["integer", "string"] } }] },
      },
    });
    expect(issues.map((issue) => [issue.path, issue.suggestion])).toEqual([
      ["/$defs", "inline each definition where it is used"],
      ["/properties/id/$ref", "inline the schema it points to"],
      ["/properties/when/format", "leave format out and say what the value looks like in the description"],
      ["/properties/kind/oneOf", "use anyOf, and say in the description that exactly one applies"],
      ["/properties/kind/oneOf/1/items/type", 'anyOf: [{ "type": "integer" }, { "type": "string" }]'],
    ]);
  });
});
