import { PROTOCOL_VERSION_META_KEY as SDK_KEY } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { claimsModernEnvelope, PROTOCOL_VERSION_META_KEY } from "./envelope.js";

const envelope = { [PROTOCOL_VERSION_META_KEY]: "2026-07-28" };

describe("claimsModernEnvelope", () => {
  it("spells the revision key as SDK v2 does", () => {
    expect(PROTOCOL_VERSION_META_KEY).toBe(SDK_KEY);
  });

  it("finds the envelope on a message or on any message of a batch", () => {
    expect(claimsModernEnvelope({ method: "server/discover", params: { _meta: envelope } })).toBe(true);
    expect(
      claimsModernEnvelope([{ method: "ping" }, { method: "tools/list", params: { _meta: envelope } }]),
    ).toBe(true);
  });

  it("does not find one where there is none, whatever the message's shape", () => {
    for (const body of [
      { method: "initialize", params: { protocolVersion: "2025-11-25" } },
      { params: { _meta: { progressToken: 1 } } },
      { params: { _meta: null } },
      { params: "x" },
      [],
      [null, 1],
      null,
      "text",
    ])
      expect(claimsModernEnvelope(body)).toBe(false);
  });
});
