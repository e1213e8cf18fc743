import { describe, expect, it } from "vitest";
import { checkHttpTool } from "./definition.js";

const valid = {
  name: "ticket_get",
  title: "Get a ticket",
  description: "Reads one ticket",
  inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
  request: {
    method: "GET",
    url: "https://tickets.example.com/tickets/{id}",
    headers: { authorization: "Bearer {secret:TICKETS_TOKEN}" },
  },
};
const withRequest = (request: Record<string, unknown>) => ({
  ...valid,
  request: { ...valid.request, ...request },
});

describe("checkHttpTool", () => {
  it("takes a valid definition, with the defaults filled in", () => {
    expect(checkHttpTool(valid)).toMatchObject({
      timeoutMs: 10_000,
      maxResponseBytes: 1_048_576,
      retries: 0,
    });
  });

  it.each([
    [{ ...valid, name: "Ticket Get" }, /^name: lower-case letters/],
    [{ ...valid, inputSchema: { type: "array" } }, 'inputSchema: "type" must be "object"'],
    [{ ...valid, inputSchema: { type: "object", properties: { id: { type: "strin" } } } }, /^inputSchema: /],
    [
      withRequest({ url: "https://x.example/{ticket}" }),
      "request.url: {ticket} is not a property of inputSchema",
    ],
    [withRequest({ url: "https://x.example/?t={secret:TOKEN}" }), "request.url: secrets go in headers only"],
    [withRequest({ body: { token: "{secret:TOKEN}" } }), "request.body.token: secrets go in headers only"],
    [withRequest({ method: "TRACE" }), /^request.method: /],
  ])("refuses a definition that cannot work, saying where (%#)", (definition, message) => {
    expect(() => checkHttpTool(definition)).toThrow(message);
  });
});
