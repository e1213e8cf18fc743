import { randomBytes } from "node:crypto";
import { type AppContext, auditLog, createMcpServer, localPrincipal } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { jsonWrite, local, type SignedIn, signIn } from "../test-support.js";
import { startUpstream, type TestUpstream, ticketsDocument } from "../testing/upstream.js";

// The service people import: it answers with what it was sent, so the test sees the secret arrive.
let upstream: TestUpstream;
let base: string;
beforeAll(async () => {
  upstream = await startUpstream();
  base = upstream.base;
});
afterAll(() => upstream.close());

const document = () => ticketsDocument(base, { queues: false });

let ctx: AppContext;
let admin: SignedIn;
let operator: SignedIn;
let client: Client;
const TOKEN = "tickets-token-123";
beforeAll(async () => {
  ctx = await createTestContext({
    ADMIN_PORT: "9091",
    SECRETS_KEY: randomBytes(32).toString("base64"),
    EGRESS_ALLOW: "127.0.0.1",
  });
  admin = await signIn(ctx, "admin");
  operator = await signIn(ctx, "operator");
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  client = new Client({ name: "admin-http-tools", version: "1" });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
  await ctx.close();
});

const toolNames = async () => (await client.listTools()).tools.map((tool) => tool.name);

describe("HTTP tools through the admin API", () => {
  it("imports an OpenAPI document, keeps its tools from clients until approved, and calls one with its secret", async () => {
    const app = createAdminApp(ctx);
    const secret = await app.request("/api/secrets/TICKETS", jsonWrite(admin, "PUT", { value: TOKEN }));
    expect(secret.status).toBe(200);
    const listed = await (
      await app.request("/api/secrets", { headers: { ...local, ...admin.headers } })
    ).text();
    expect(listed).toContain("TICKETS");
    expect(listed).not.toContain(TOKEN);

    const preview = await app.request(
      "/api/openapi-import/preview",
      jsonWrite(operator, "POST", { document: document() }),
    );
    expect(preview.status).toBe(200);
    const { operations } = (await preview.json()) as {
      operations: { id: string; tool?: { name: string }; secrets: string[] }[];
    };
    expect(operations.map((operation) => [operation.id, operation.tool?.name, operation.secrets])).toEqual([
      ["getTicket", "get_ticket", ["TICKETS"]],
      ["closeTicket", "close_ticket", ["TICKETS"]],
    ]);

    const imported = await app.request(
      "/api/openapi-import",
      jsonWrite(operator, "POST", { document: document(), operations: ["getTicket", "closeTicket"] }),
    );
    expect(imported.status).toBe(201);
    const { versions } = (await imported.json()) as {
      versions: { version: { id: string; status: string } }[];
    };
    expect(versions.map((entry) => entry.version.status)).toEqual(["pending", "pending"]);
    expect(await toolNames()).not.toContain("get_ticket");

    const [first, second] = versions.map((entry) => entry.version.id);
    const byOperator = await app.request(
      `/api/tool-versions/${first}/approve`,
      jsonWrite(operator, "POST", {}),
    );
    expect(byOperator.status).toBe(403);
    for (const id of [first, second])
      expect(
        (await app.request(`/api/tool-versions/${id}/approve`, jsonWrite(admin, "POST", {}))).status,
      ).toBe(200);
    // Every process (this one too) reloads the catalog when the approval is announced on the bus.
    await expect.poll(toolNames).toEqual(expect.arrayContaining(["get_ticket", "close_ticket"]));

    const before = upstream.seen.length;
    const result = await client.callTool({ name: "get_ticket", arguments: { id: "T-7" } });
    expect(result.structuredContent).toEqual({ id: "T-7", status: "open" });
    expect(upstream.seen[before]?.authorization).toBe(`Bearer ${TOKEN}`);
    await ctx.audit.flush(5_000);
    expect(JSON.stringify(await ctx.db.db.select().from(auditLog))).not.toContain(TOKEN);

    // Rotating the secret changes no tool: the next calls send the new value.
    expect(
      (await app.request("/api/secrets/TICKETS", jsonWrite(admin, "PUT", { value: "rotated-token" }))).status,
    ).toBe(200);
    await expect
      .poll(async () => {
        await client.callTool({ name: "get_ticket", arguments: { id: "T-8" } });
        return upstream.seen.at(-1)?.authorization;
      })
      .toBe("Bearer rotated-token");
  });

  it("says where a definition is wrong, and what of its schema does not port", async () => {
    const app = createAdminApp(ctx);
    const bad = await app.request(
      "/api/http-tools",
      jsonWrite(operator, "POST", {
        definition: {
          name: "broken",
          title: "Broken",
          description: "d",
          inputSchema: { type: "object" },
          request: { method: "GET", url: `${base}/x/{missing}` },
        },
      }),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      "request.url: {missing} is not a property of inputSchema",
    );
    const odd = await app.request(
      "/api/http-tools",
      jsonWrite(operator, "POST", {
        definition: {
          name: "odd",
          title: "Odd",
          description: "d",
          inputSchema: { type: "object", properties: { when: { type: ["string", "null"] } } },
          request: { method: "GET", url: `${base}/odd` },
        },
      }),
    );
    expect(odd.status).toBe(201);
    const { portability } = (await odd.json()) as { portability: { path: string }[] };
    expect(portability.map((issue) => issue.path)).toEqual(["/properties/when/type"]);
  });

  it("refuses to fetch a document from an address tools may not reach", async () => {
    const app = createAdminApp(ctx);
    const response = await app.request(
      "/api/openapi-import/preview",
      jsonWrite(operator, "POST", { url: "http://169.254.169.254/latest/openapi.json" }),
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/link-local/);
  });
});
