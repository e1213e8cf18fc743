import { describe, expect, it } from "vitest";
import { expectModernEcho, modernRequest } from "./jsonrpc.js";

const echoed = (result: Record<string, unknown>) => ({ jsonrpc: "2.0" as const, id: 7, result });

describe("expectModernEcho", () => {
  it("accepts a complete result that echoes the text", () => {
    expect(() =>
      expectModernEcho(echoed({ content: [{ type: "text", text: "hi" }], resultType: "complete" }), 7, "hi"),
    ).not.toThrow();
  });

  it("refuses a result without resultType, one that asks for input, and an error", () => {
    const content = [{ type: "text", text: "hi" }];
    expect(() => expectModernEcho(echoed({ content }), 7, "hi")).toThrow(/echo returned/);
    expect(() => expectModernEcho(echoed({ content, resultType: "input_required" }), 7, "hi")).toThrow(
      /echo returned/,
    );
    const error = { jsonrpc: "2.0" as const, id: 7, error: { code: -32020, message: "Mcp-Name mismatch" } };
    expect(() => expectModernEcho(error, 7, "hi")).toThrow(/Request 7 failed: Mcp-Name mismatch/);
  });
});

describe("modernRequest", () => {
  it("puts the version, client info and capabilities in params._meta beside the params", () => {
    expect(modernRequest(2, "tools/call", { name: "echo", arguments: { text: "hi" } })).toEqual({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: {
        name: "echo",
        arguments: { text: "hi" },
        _meta: {
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientInfo": { name: "mcp-bench", version: "0.1.0" },
          "io.modelcontextprotocol/clientCapabilities": {},
        },
      },
    });
  });
});
