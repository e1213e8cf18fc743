import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerUpstream, echoTextOf, upstreamPath } from "./upstream-app.js";

describe("the upstream service", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer(answerUpstream);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("answers GET /echo with the text it was sent, as JSON", async () => {
    const res = await fetch(`${base}${upstreamPath("a b&c/é")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ data: { text: "a b&c/é" } });
  });

  it("answers 404 to any other path or method", async () => {
    expect((await fetch(`${base}/other?text=x`)).status).toBe(404);
    expect((await fetch(`${base}${upstreamPath("x")}`, { method: "POST", body: "{}" })).status).toBe(404);
  });
});

describe("echoTextOf", () => {
  it("decodes the text, + as a space, up to the next parameter", () => {
    expect(echoTextOf("/echo?text=hello%20from+bench&other=1")).toBe("hello from bench");
    expect(echoTextOf("/echo?text=")).toBe("");
  });

  it("takes nothing from another URL or a malformed escape", () => {
    expect(echoTextOf("/echo")).toBeUndefined();
    expect(echoTextOf("/echo?other=1&text=x")).toBeUndefined();
    expect(echoTextOf("/echo?text=%E0%A4%A")).toBeUndefined();
    expect(echoTextOf(undefined)).toBeUndefined();
  });
});
