import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../context.js";
import { auditLog } from "../../db/schema.js";
import { createEgressAgent } from "../../egress/agent.js";
import { createEgressPolicy } from "../../egress/policy.js";
import { localPrincipal } from "../../mcp/principal.js";
import { createMcpServer } from "../../mcp/server.js";
import { createTestContext } from "../../testing/context.js";
import { captureLog } from "../../testing/log-capture.js";
import { checkHttpTool } from "./definition.js";
import { httpTool } from "./tool.js";

const TOKEN = "s3cr3t-token-value";

// A real upstream on loopback: it records what it was sent, and answers as each path says.
const seen: { method?: string; url?: string; authorization?: string; body: string }[] = [];
let flaky = 0;
let upstream: Server;
let base: string;
beforeAll(async () => {
  upstream = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (path.startsWith("/tickets/"))
      return json(200, { ticket: { id: decodeURIComponent(path.slice(9)), state: "open" } });
    if (path === "/tickets") return json(201, { created: JSON.parse(body || "{}") });
    if (path === "/echo-auth") return json(200, { youSent: req.headers.authorization });
    if (path === "/missing") return json(404, { error: "no such ticket" });
    if (path === "/flaky")
      return flaky++ < 2 ? json(503, { error: "busy" }) : json(200, { ok: true, attempts: flaky });
    if (path === "/text") return res.writeHead(200, { "content-type": "text/plain" }).end("plain words");
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  base = `http://upstream.test:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const deps = {
  agent: createEgressAgent({
    policy: createEgressPolicy(["upstream.test"]),
    resolve: async (host) => (host === "upstream.test" ? ["127.0.0.1"] : []),
  }),
  secret: async (name: string) => (name === "TICKETS_TOKEN" ? TOKEN : undefined),
};

const define = (overrides: Record<string, unknown>, request: Record<string, unknown>) =>
  httpTool(
    checkHttpTool({
      title: "T",
      description: "An HTTP tool under test",
      inputSchema: {
        type: "object",
        properties: { id: { type: "string" }, q: { type: "string" }, priority: { type: "integer" } },
      },
      ...overrides,
      request: { headers: { authorization: "Bearer {secret:TICKETS_TOKEN}" }, ...request },
    }),
    deps,
  );

const tools = () => [
  define(
    { name: "ticket_get", response: { pick: "/ticket" } },
    { method: "GET", url: `${base}/tickets/{id}`, query: { q: "{q}" } },
  ),
  define(
    { name: "ticket_create" },
    {
      method: "POST",
      url: `${base}/tickets`,
      body: { title: "{q}", priority: "{priority}", note: "from {id}" },
    },
  ),
  define({ name: "echo_auth" }, { method: "GET", url: `${base}/echo-auth` }),
  define({ name: "ticket_missing" }, { method: "GET", url: `${base}/missing` }),
  define({ name: "flaky_get", retries: 2 }, { method: "GET", url: `${base}/flaky` }),
  define({ name: "plain" }, { method: "GET", url: `${base}/text` }),
];

let ctx: AppContext;
let client: Client;
const logged = captureLog("debug");
beforeAll(async () => {
  ctx = await createTestContext({}, { tools: tools(), log: logged.log });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  client = new Client({ name: "http-tools", version: "1" });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
  await ctx.close();
});

const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

describe("HTTP tools", () => {
  it("fills the path (encoded), the query and the header's secret, and maps the answer it picks", async () => {
    const result = await call("ticket_get", { id: "a/b c", q: "x&y" });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ id: "a/b c", state: "open" });
    expect(seen.at(-1)).toMatchObject({
      method: "GET",
      url: "/tickets/a%2Fb%20c?q=x%26y",
      authorization: `Bearer ${TOKEN}`,
    });
  });

  it("sends a JSON body with typed arguments and leaves out what was not given", async () => {
    const result = await call("ticket_create", { q: "Printer on fire", priority: 2 });
    expect(result.structuredContent).toEqual({ created: { title: "Printer on fire", priority: 2 } });
    expect(seen.at(-1)?.body).toBe('{"title":"Printer on fire","priority":2}');
  });

  it("wraps an answer that is not an object, and takes text as text", async () => {
    expect((await call("plain", {})).structuredContent).toEqual({ result: "plain words" });
  });

  it("turns an upstream error into an isError result that says what happened", async () => {
    const result = await call("ticket_missing", {});
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: "text", text: `${base}/missing answered 404: {"error":"no such ticket"}` },
    ]);
  });

  it("retries an idempotent call the service could not take, and only so often", async () => {
    const result = await call("flaky_get", {});
    expect(result.structuredContent).toEqual({ ok: true, attempts: 3 });
  });

  it("refuses retries for a method that is not idempotent when the tool is saved", () => {
    expect(() =>
      checkHttpTool({
        name: "bad",
        title: "Bad",
        description: "d",
        inputSchema: { type: "object" },
        request: { method: "POST", url: `${base}/tickets` },
        retries: 1,
      }),
    ).toThrow("retries: a POST is not idempotent; it is never retried");
  });

  it("keeps the secret out of results, audit rows and logs", async () => {
    const echoed = await call("echo_auth", {});
    expect(echoed.structuredContent).toEqual({ youSent: "Bearer [secret]" });
    await ctx.audit.flush(5_000);
    const rows = await ctx.db.db.select().from(auditLog);
    expect(rows.length).toBeGreaterThan(5);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
    expect(logged.text()).not.toContain(TOKEN);
  });
});
