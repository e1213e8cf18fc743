import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createProxyTrust } from "./client-address.js";

function appTrusting(trusted: string[]) {
  const proxies = createProxyTrust(trusted);
  return new Hono().get("/", (c) => c.json({ ip: proxies.clientIp(c), https: proxies.isHttps(c) }));
}

async function from(
  app: Hono,
  remoteAddress: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ ip: string; https: boolean }> {
  const response = await app.request("/", { headers }, { incoming: { socket: { remoteAddress } } });
  return (await response.json()) as { ip: string; https: boolean };
}

describe("client address and scheme", () => {
  it("uses the socket's peer and plain http when no proxy is trusted, whatever the headers say", async () => {
    const app = appTrusting([]);
    const forged = { "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https" };
    expect(await from(app, "203.0.113.7", forged)).toEqual({ ip: "203.0.113.7", https: false });
    // A private or loopback peer is not a proxy of ours unless TRUSTED_PROXIES says so.
    expect(await from(app, "10.0.3.4", forged)).toEqual({ ip: "10.0.3.4", https: false });
    expect(await from(app, "127.0.0.1", forged)).toEqual({ ip: "127.0.0.1", https: false });
  });

  it("believes a listed proxy: the client is the last address it did not add itself", async () => {
    const app = appTrusting(["10.0.0.0/8", "192.0.2.10"]);
    const headers = {
      "x-forwarded-for": "forged.by.client, 198.51.100.1, 10.1.1.1",
      "x-forwarded-proto": "https",
    };
    expect(await from(app, "192.0.2.10", headers)).toEqual({ ip: "198.51.100.1", https: true });
    expect(await from(app, "::ffff:10.0.3.4", { "x-forwarded-for": "198.51.100.2" })).toEqual({
      ip: "198.51.100.2",
      https: false,
    });
    expect(await from(app, "10.0.3.4")).toEqual({ ip: "10.0.3.4", https: false });
  });

  it("ignores the headers of a peer outside the list", async () => {
    const app = appTrusting(["192.0.2.10"]);
    const forged = { "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https" };
    expect(await from(app, "192.0.2.11", forged)).toEqual({ ip: "192.0.2.11", https: false });
  });

  it("trusts IPv6 ranges, and stops at an entry that is not an address", async () => {
    const app = appTrusting(["fd00::/8"]);
    expect(await from(app, "fd12::1", { "x-forwarded-for": "2001:db8::7" })).toMatchObject({
      ip: "2001:db8::7",
    });
    expect(await from(app, "fd12::1", { "x-forwarded-for": "not-an-ip" })).toMatchObject({ ip: "fd12::1" });
  });

  it("answers unknown without a socket (in-process requests), and https for an https URL", async () => {
    expect(await (await appTrusting([]).request("/")).json()).toEqual({ ip: "unknown", https: false });
    expect(await (await appTrusting([]).request("https://127.0.0.1/")).json()).toMatchObject({ https: true });
  });
});
