import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address.js";

const app = new Hono().get("/", (c) => c.text(clientAddress(c)));
async function from(remoteAddress: string | undefined, forwardedFor?: string): Promise<string> {
  const headers: Record<string, string> = forwardedFor ? { "x-forwarded-for": forwardedFor } : {};
  const response = await app.request("/", { headers }, { incoming: { socket: { remoteAddress } } });
  return response.text();
}

describe("clientAddress", () => {
  it("uses the socket's peer for a client connecting directly", async () => {
    expect(await from("203.0.113.7")).toBe("203.0.113.7");
  });

  it("ignores X-Forwarded-For from a public peer, which could be anyone", async () => {
    expect(await from("203.0.113.7", "198.51.100.1")).toBe("203.0.113.7");
  });

  it("uses the entry our proxy appended when the peer is on loopback or a private network", async () => {
    expect(await from("127.0.0.1", "forged.by.client, 198.51.100.1")).toBe("198.51.100.1");
    expect(await from("::ffff:10.0.3.4", "198.51.100.2")).toBe("198.51.100.2");
    expect(await from("172.20.0.5")).toBe("172.20.0.5");
  });

  it("answers unknown without a socket (in-process requests)", async () => {
    expect(await (await app.request("/")).text()).toBe("unknown");
  });
});
