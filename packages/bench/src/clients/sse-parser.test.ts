import { describe, expect, it } from "vitest";
import { createSseParser, parseSseBody } from "./sse-parser.js";

describe("createSseParser", () => {
  it("returns events once their blank line arrives, across chunk boundaries", () => {
    const parse = createSseParser();
    expect(parse("event: endpoint\ndata: /messages?session")).toEqual([]);
    expect(parse('Id=1\n\n: keep-alive\n\ndata: {"id":1}\n')).toEqual([
      { event: "endpoint", data: "/messages?sessionId=1" },
    ]);
    expect(parse("\n")).toEqual([{ event: "message", data: '{"id":1}' }]);
  });

  it("joins multi-line data and accepts CRLF line ends", () => {
    expect(parseSseBody("data: a\r\ndata: b\r\n\r\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });
});
