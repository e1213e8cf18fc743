import { describe, expect, it } from "vitest";
import { createEgressPolicy } from "./policy.js";

describe("egress policy", () => {
  const strict = createEgressPolicy();

  it("lets public unicast addresses through, IPv4 and IPv6", () => {
    expect(strict.refusal("example.com", "93.184.215.14")).toBeUndefined();
    expect(strict.refusal("example.com", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")).toBeUndefined();
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["10.0.0.1", "private"],
    ["192.168.1.20", "private"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["fd00:ec2::254", "unique-local"],
    ["100.100.100.200", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
  ])("refuses %s, a %s address, naming the host and why", (address, kind) => {
    expect(strict.refusal("internal.test", address)).toBe(
      `internal.test (${address}) is a ${kind} address, which tools may not reach unless EGRESS_ALLOW names it`,
    );
  });

  it("refuses an address embedding a refused one (NAT64, 6to4)", () => {
    expect(strict.refusal("a.test", "64:ff9b::a00:1")).toMatch(/is a NAT64 address/);
    expect(strict.refusal("a.test", "2002:7f00:1::")).toMatch(/is a 6to4 address/);
  });

  it("lets through a host or a range the allow-list names, and nothing else", () => {
    const policy = createEgressPolicy(["Upstream.Test", "10.1.0.0/16", "::1"]);
    expect(policy.refusal("upstream.test", "127.0.0.1")).toBeUndefined();
    expect(policy.refusal("other.test", "10.1.2.3")).toBeUndefined();
    expect(policy.refusal("[::1]", "::1")).toBeUndefined();
    expect(policy.refusal("other.test", "10.2.0.1")).toMatch(/private/);
    expect(policy.refusal("other.test", "127.0.0.1")).toMatch(/loopback/);
  });
});
