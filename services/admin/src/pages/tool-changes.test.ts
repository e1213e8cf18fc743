import { randomBytes } from "node:crypto";
import { type AppContext, createMcpServer, localPrincipal } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, type SignedIn, signInEveryRole } from "../test-support.js";
import { startUpstream, type TestUpstream, ticketsDocument } from "../testing/upstream.js";

let ctx: AppContext;
let admin: SignedIn;
let operator: SignedIn;
let viewer: SignedIn;
let upstream: TestUpstream;
let client: Client;
let app: ReturnType<typeof createAdminApp>;
beforeAll(async () => {
  upstream = await startUpstream();
  ctx = await createTestContext({
    ADMIN_PORT: "9091",
    SECRETS_KEY: randomBytes(32).toString("base64"),
    EGRESS_ALLOW: "127.0.0.1",
  });
  ({ admin, operator, viewer } = await signInEveryRole(ctx));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal: localPrincipal, transport: "in-memory" }).connect(serverSide);
  client = new Client({ name: "pages-test", version: "1" });
  await client.connect(clientSide);
  app = createAdminApp(ctx);
});
afterAll(async () => {
  await client.close();
  await ctx.close();
  await upstream.close();
});

const definition = (description: string) => ({
  name: "ticket_status",
  title: "Ticket status",
  description,
  inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
  request: { method: "GET", url: `${upstream.base}/tickets/{id}` },
});
const described = async (name: string) =>
  (await client.listTools()).tools.find((tool) => tool.name === name)?.description;
const html = async (path: string, who: SignedIn = admin) =>
  (await app.request(path, { headers: who.headers })).text();
const pendingVersionId = (page: string) => /\/versions\/([0-9a-f-]{36})\/approve/.exec(page)?.[1] ?? "";

describe("defining an HTTP tool in the admin", () => {
  it("saves a definition as a pending version clients do not see until an admin approves it", async () => {
    const saved = await app.request(
      "/tools/add-http",
      formPost(operator, { definition: JSON.stringify(definition("Reads a ticket's status.")) }),
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/tools/ticket_status?done=proposed");
    const page = await html("/tools/ticket_status?done=proposed", operator);
    expect(page).toContain("Waiting for approval");
    expect(page).toContain("An admin approves or rejects it.");
    expect(page).toContain("Clients do not see this tool until an admin approves it.");
    // Shown in the order people write a definition, whatever order the database keeps.
    expect(page).toMatch(
      /<pre class="definition">\{\n {2}&quot;name&quot;: &quot;ticket_status&quot;,\n {2}&quot;title&quot;/,
    );
    expect(await described("ticket_status")).toBeUndefined();
    expect(await html("/tools?pending=1")).toContain('id="tool-ticket_status"');

    const adminPage = await html("/tools/ticket_status");
    const id = pendingVersionId(adminPage);
    expect(
      (await app.request(`/tools/ticket_status/versions/${id}/approve`, formPost(operator, {}))).status,
    ).toBe(403);
    const approved = await app.request(`/tools/ticket_status/versions/${id}/approve`, formPost(admin, {}));
    expect(approved.headers.get("location")).toBe("/tools/ticket_status?done=approved");
    await expect.poll(() => described("ticket_status")).toBe("Reads a ticket's status.");
  });

  it("shows a change as a diff, keeps clients on the approved text, then serves the approved change", async () => {
    const changed = await app.request(
      "/tools/ticket_status/definition",
      formPost(operator, { definition: JSON.stringify(definition("Reads a ticket's status and owner.")) }),
    );
    expect(changed.status).toBe(303);
    const page = await html("/tools/ticket_status");
    expect(page).toContain("Changes against the approved version");
    expect(page).toContain(
      '<span class="del">-   &quot;description&quot;: &quot;Reads a ticket&#39;s status.&quot;',
    );
    expect(page).toContain("+   &quot;description&quot;: &quot;Reads a ticket&#39;s status and owner.&quot;");
    expect(await described("ticket_status")).toBe("Reads a ticket's status.");
    await app.request(`/tools/ticket_status/versions/${pendingVersionId(page)}/approve`, formPost(admin, {}));
    await expect.poll(() => described("ticket_status")).toBe("Reads a ticket's status and owner.");
    const history = await html("/tools/ticket_status");
    expect(history.match(/<td>superseded<\/td>/g)).toHaveLength(1);
    expect(history.match(/<td>approved<\/td>/g)).toHaveLength(1);
  });

  it("runs an approved HTTP tool with try it, against the upstream", async () => {
    const result = await html("/tools/ticket_status/try");
    expect(result).toContain("Try ticket_status");
    const run = await app.request(
      "/tools/ticket_status/try",
      formPost(operator, { arguments: '{"id":"T-7"}' }),
    );
    const text = await run.text();
    expect(text).toContain("Result");
    expect(text).toContain("&quot;id&quot;: &quot;T-7&quot;");
  });

  it("shows what is wrong with a definition, and keeps what was written", async () => {
    const notJson = await app.request("/tools/add-http", formPost(operator, { definition: "{oops" }));
    expect(notJson.status).toBe(400);
    const notJsonPage = await notJson.text();
    expect(notJsonPage).toContain("The definition is not valid JSON");
    expect(notJsonPage).toContain("{oops");
    const bad = await app.request(
      "/tools/add-http",
      formPost(operator, { definition: JSON.stringify({ ...definition("x"), name: "Bad Name" }) }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("name: lower-case letters");
    const taken = await app.request(
      "/tools/add-http",
      formPost(operator, { definition: JSON.stringify(definition("another")) }),
    );
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("Another tool is named ticket_status");
    expect((await app.request("/tools/echo/definition", { headers: admin.headers })).status).toBe(404);
  });

  it("refuses a viewer every change", async () => {
    expect(await html("/tools/ticket_status", viewer)).not.toContain("Edit definition");
    const add = await app.request("/tools/add-http", formPost(viewer, { definition: "{}" }));
    expect(add.status).toBe(403);
  });
});

describe("importing from OpenAPI in the admin", () => {
  it("previews a pasted document's operations and proposes the chosen ones", async () => {
    const document = ticketsDocument(upstream.base);
    const preview = await app.request("/tools/import-openapi/preview", formPost(operator, { document }));
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain("3 operations, 3 of which can become tools");
    expect(page).toContain("<strong>get_ticket</strong>");
    expect(page).toContain("sends the secret TICKETS");
    const body = new URLSearchParams({ _csrf: operator.csrf, document });
    body.append("operations", "getTicket");
    body.append("operations", "getQueue");
    const imported = await app.request("/tools/import-openapi", {
      method: "POST",
      headers: { ...operator.headers, "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
    expect(imported.status).toBe(303);
    expect(imported.headers.get("location")).toBe("/tools?pending=1&done=imported-2");
    const listed = await html("/tools?pending=1&done=imported-2");
    expect(listed).toContain("2 tools imported");
    expect(listed).toContain('id="tool-get_ticket"');
    expect(listed).toContain('id="tool-get_queue"');
    expect(listed).not.toContain('id="tool-close_ticket"');
    // The same document again, all of it: only the operation not imported before is new.
    const again = await app.request("/tools/import-openapi", formPost(operator, { document, all: "1" }));
    expect(again.headers.get("location")).toBe("/tools?pending=1&done=imported-1");
    const tools = await html("/tools?q=ticket");
    expect(tools.match(/<tr id="tool-get_ticket"/g)).toHaveLength(1);
    expect(tools).toContain('id="tool-close_ticket"');
  });

  it("reads an uploaded file, and says why a document cannot be read", async () => {
    const form = new FormData();
    form.set("_csrf", operator.csrf);
    form.set(
      "file",
      new File([ticketsDocument(upstream.base)], "tickets.json", { type: "application/json" }),
    );
    const uploaded = await app.request("/tools/import-openapi/preview", {
      method: "POST",
      headers: operator.headers,
      body: form,
    });
    expect(await uploaded.text()).toContain("<strong>close_ticket</strong>");
    const broken = await app.request(
      "/tools/import-openapi/preview",
      formPost(operator, { document: '{"openapi":"2.0"}' }),
    );
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain("Only OpenAPI 3.0 and 3.1 are read");
    const none = await app.request("/tools/import-openapi", formPost(operator, { document: "{}" }));
    expect(await none.text()).toContain("Choose at least one operation");
  });

  it("fetches a document by URL under the egress rules", async () => {
    const refused = await app.request(
      "/tools/import-openapi/preview",
      formPost(operator, { url: "http://10.0.0.1/openapi.json" }),
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("10.0.0.1");
  });
});
