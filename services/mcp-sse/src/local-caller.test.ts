import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import { isLocalCaller } from "./local-caller.js";
import type { McpEnv } from "./read-body.js";

const request = (remoteAddress: string | undefined, headers: Record<string, string> = {}) =>
  ({
    env: { incoming: { socket: { remoteAddress }, headers } as unknown as IncomingMessage },
  }) as Context<McpEnv>;

describe("isLocalCaller", () => {
  it.each(["127.0.0.1", "127.10.0.3", "::1", "::ffff:127.0.0.1"])(
    "takes %s without proxy headers as local",
    (ip) => {
      expect(isLocalCaller(request(ip))).toBe(true);
    },
  );

  it.each(["10.0.0.5", "192.168.1.2", "172.17.0.1", "203.0.113.7", "::ffff:10.0.0.5", "fe80::1", "fd00::1"])(
    "takes the peer %s as remote",
    (ip) => {
      expect(isLocalCaller(request(ip))).toBe(false);
    },
  );

  it("takes a request without a socket (app.request) as remote", () => {
    expect(isLocalCaller(request(undefined))).toBe(false);
    expect(isLocalCaller({ env: undefined } as unknown as Context<McpEnv>)).toBe(false);
  });

  it("takes a loopback peer that forwards for someone as remote", () => {
    expect(isLocalCaller(request("127.0.0.1", { "x-forwarded-proto": "http" }))).toBe(false);
  });
});
