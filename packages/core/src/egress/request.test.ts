import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildConnector } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors.js";
import { createEgressAgent, type Resolve } from "./agent.js";
import { createEgressPolicy } from "./policy.js";
import { egressRequest } from "./request.js";

// One real upstream, on loopback. Names resolve through a table, never DNS; every connection the
// agent opens is recorded before it is made, so a refusal is seen not to have sent a packet.
let upstream: Server;
let port: number;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://upstream.test");
    if (url.pathname === "/echo") {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ method: req.method, path: url.pathname, query: url.search, body }));
      });
      return;
    }
    if (url.pathname === "/redirect") {
      res.writeHead(302, { location: url.searchParams.get("to") ?? "/echo" });
      return res.end();
    }
    if (url.pathname === "/headers")
      return res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
    if (url.pathname === "/big") return res.end("x".repeat(10_000));
    if (url.pathname === "/slow") return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  port = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const names: Record<string, string[]> = {
  "upstream.test": ["127.0.0.1"],
  "other.test": ["127.0.0.1"],
  "sneaky.test": ["127.0.0.1"],
  "intranet.test": ["10.0.0.1"],
  "metadata.test": ["169.254.169.254"],
};
const resolve: Resolve = async (hostname) => names[hostname] ?? [];

function agentWith(allow: string[]) {
  const connected: string[] = [];
  const real = buildConnector({});
  const agent = createEgressAgent({
    policy: createEgressPolicy(allow),
    resolve,
    connect: (options, callback) => {
      connected.push(options.hostname);
      real(options, callback);
    },
  });
  return { agent, connected };
}

const get = (
  agent: ReturnType<typeof agentWith>["agent"],
  url: string,
  extra: { maxBytes?: number; timeoutMs?: number } = {},
) =>
  egressRequest(agent, {
    method: "GET",
    url,
    timeoutMs: extra.timeoutMs ?? 5_000,
    maxBytes: extra.maxBytes ?? 1_000_000,
  });

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("egress through the guarded agent", () => {
  it("lets the allow-listed loopback upstream through, with method, query and body", async () => {
    const { agent, connected } = agentWith(["upstream.test"]);
    const response = await egressRequest(agent, {
      method: "POST",
      url: `http://upstream.test:${port}/echo?q=a%20b`,
      body: "hello",
      headers: { "content-type": "text/plain" },
      timeoutMs: 5_000,
      maxBytes: 10_000,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString("utf8"))).toEqual({
      method: "POST",
      path: "/echo",
      query: "?q=a%20b",
      body: "hello",
    });
    expect(connected).toEqual(["127.0.0.1"]);
  });

  it.each([
    [
      "a name resolving to 127.0.0.1",
      "http://sneaky.test:PORT/echo",
      /sneaky\.test \(127\.0\.0\.1\) is a loopback address/,
    ],
    ["[::1]", "http://[::1]:PORT/echo", /::1 is a loopback address/],
    [
      "a name resolving to 10.0.0.1",
      "http://intranet.test/",
      /intranet\.test \(10\.0\.0\.1\) is a private address/,
    ],
    [
      "169.254.169.254",
      "http://169.254.169.254/latest/meta-data/",
      /169\.254\.169\.254 is a link-local address/,
    ],
    ["a name resolving to the metadata address", "http://metadata.test/", /link-local/],
  ])("refuses %s without connecting", async (_, url, message) => {
    const { agent, connected } = agentWith(["upstream.test"]);
    const error = await refusal(get(agent, url.replace("PORT", String(port))));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(message);
    expect(connected).toEqual([]);
  });

  it("refuses a redirect from an allowed host to a refused one, connecting only to the first", async () => {
    const { agent, connected } = agentWith(["upstream.test"]);
    const error = await refusal(
      get(agent, `http://upstream.test:${port}/redirect?to=http://169.254.169.254/latest`),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/169\.254\.169\.254 is a link-local address/);
    expect(connected).toEqual(["127.0.0.1"]);
  });

  it("sends the tool's headers to the origin it names, and not to another one it is redirected to", async () => {
    const { agent } = agentWith(["upstream.test", "other.test"]);
    const call = (to: string) =>
      egressRequest(agent, {
        method: "GET",
        url: `http://upstream.test:${port}/redirect?to=${encodeURIComponent(to)}`,
        headers: { authorization: "Bearer secret-token" },
        timeoutMs: 5_000,
        maxBytes: 10_000,
      }).then((response) => JSON.parse(response.body.toString("utf8")));
    expect(await call("/headers")).toEqual({ authorization: "Bearer secret-token" });
    expect(await call(`http://other.test:${port}/headers`)).toEqual({ authorization: null });
  });

  it("follows a redirect within what is allowed", async () => {
    const { agent } = agentWith(["upstream.test"]);
    const response = await get(agent, `http://upstream.test:${port}/redirect?to=/echo%3Fafter=1`);
    expect(JSON.parse(response.body.toString("utf8"))).toMatchObject({ path: "/echo", query: "?after=1" });
  });

  it.each(["file:///etc/passwd", "gopher://upstream.test/1", "ftp://upstream.test/"])(
    "refuses %s",
    async (url) => {
      const { agent, connected } = agentWith(["upstream.test"]);
      const error = await refusal(get(agent, url));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(/http and https URLs only/);
      expect(connected).toEqual([]);
    },
  );

  it("fails an answer larger than the limit, a silent upstream and a closed port, saying which", async () => {
    const { agent } = agentWith(["upstream.test"]);
    const big = await refusal(get(agent, `http://upstream.test:${port}/big`, { maxBytes: 1_000 }));
    expect([big.code, big.message]).toEqual([
      "BAD_GATEWAY",
      `http://upstream.test:${port} answered with more than 1000 bytes`,
    ]);
    const slow = await refusal(
      get(agent, `http://upstream.test:${port}/slow?token=secret`, { timeoutMs: 200 }),
    );
    expect([slow.code, slow.message]).toEqual([
      "TIMEOUT",
      `http://upstream.test:${port}/slow did not answer within 200 ms`,
    ]);
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const down = await refusal(get(agent, `http://upstream.test:${closedPort}/`));
    expect([down.code, down.message]).toEqual([
      "BAD_GATEWAY",
      `http://upstream.test:${closedPort}/ could not be reached: ECONNREFUSED`,
    ]);
  });

  it("ends a request still waiting for its connection when its time is up", async () => {
    const agent = createEgressAgent({
      policy: createEgressPolicy(["upstream.test"]),
      resolve: () => new Promise(() => {}), // a name server that never answers
    });
    const started = performance.now();
    const error = await refusal(get(agent, "http://upstream.test/echo", { timeoutMs: 200 }));
    expect([error.code, error.message]).toEqual([
      "TIMEOUT",
      "http://upstream.test/echo did not answer within 200 ms",
    ]);
    expect(performance.now() - started).toBeLessThan(2_000);
    await agent.destroy();
  });

  it("ends a request when its call ends, with the call's reason, and not on the timeout's account", async () => {
    const { agent } = agentWith(["upstream.test"]);
    const call = new AbortController();
    const started = performance.now();
    const pending = egressRequest(agent, {
      method: "GET",
      url: `http://upstream.test:${port}/slow`,
      timeoutMs: 5_000,
      maxBytes: 1_000,
      signal: call.signal,
    });
    setTimeout(() => call.abort(new AppError("TIMEOUT", "the call was cancelled")), 50);
    const error = await refusal(pending);
    expect([error.code, error.message]).toEqual(["TIMEOUT", "the call was cancelled"]);
    expect(performance.now() - started).toBeLessThan(2_000);
    const late = new AbortController();
    late.abort(new AppError("TIMEOUT", "cancelled before it began"));
    const before = await refusal(
      egressRequest(agent, {
        method: "GET",
        url: `http://upstream.test:${port}/echo`,
        timeoutMs: 5_000,
        maxBytes: 1_000,
        signal: late.signal,
      }),
    );
    expect(before.message).toBe("cancelled before it began");
  });
});
