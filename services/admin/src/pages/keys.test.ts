import { type AppContext, listAdminActions, listApiKeys, verifyApiKey } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, jsonWrite, type SignedIn, signInEveryRole } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  ({ admin, operator, viewer } = await signInEveryRole(ctx));
});
afterAll(() => ctx.close());

const secretIn = (html: string) => /<pre class="secret">([^<]+)<\/pre>/.exec(html)?.[1];
const keyNamed = async (name: string) => (await listApiKeys(ctx.db.db)).find((key) => key.name === name);

describe("/keys", () => {
  it("creates a key through the form and shows its working secret once", async () => {
    const app = createAdminApp(ctx);
    const response = await app.request(
      "/keys",
      formPost(operator, {
        name: "ci runner",
        expiresInDays: "30",
        scope: "read-only",
        rateLimitPerMinute: "60",
      }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    const secret = secretIn(html) ?? "";
    expect(html).toContain(`Authorization: Bearer ${secret}`);
    const verified = await verifyApiKey(ctx.db.db, secret);
    expect(verified).toMatchObject({ ok: true, key: { name: "ci runner", scope: { kind: "read-only" } } });
    const key = await keyNamed("ci runner");
    expect(key?.rateLimitPerMinute).toBe(60);
    const days = ((key?.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const list = await (await app.request("/keys", { headers: operator.headers })).text();
    expect(list).toContain(`mcpt_${key?.prefix}`);
    expect(list).not.toContain(secret);
  });

  it("creates an allow-list key from checkboxes, and refuses an empty or unknown list", async () => {
    const app = createAdminApp(ctx);
    const body = new URLSearchParams({ _csrf: admin.csrf, name: "two tools", scope: "tools" });
    body.append("tools", "echo");
    body.append("tools", "note_get");
    const created = await app.request("/keys", {
      method: "POST",
      headers: { ...admin.headers, "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
    expect(created.status).toBe(201);
    expect((await keyNamed("two tools"))?.scope).toEqual({ kind: "tools", tools: ["echo", "note_get"] });
    const empty = await app.request("/keys", formPost(admin, { name: "none", scope: "tools" }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Choose at least one tool");
    const unknown = await app.request(
      "/keys",
      formPost(admin, { name: "bad", scope: "tools", tools: "nope" }),
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("No tool named nope");
  });

  it("revokes a key after a confirmation page, and the key stops working", async () => {
    const app = createAdminApp(ctx);
    const html = await (
      await app.request("/keys", formPost(operator, { name: "to revoke", scope: "all" }))
    ).text();
    const secret = secretIn(html) ?? "";
    const key = await keyNamed("to revoke");
    const confirm = await app.request(`/keys/${key?.id}/revoke`, { headers: operator.headers });
    expect(await confirm.text()).toContain("Revoke key?");
    const revoked = await app.request(`/keys/${key?.id}/revoke`, formPost(operator, {}));
    expect(revoked.status).toBe(303);
    expect(await verifyApiKey(ctx.db.db, secret)).toEqual({ ok: false, reason: "revoked" });
    const actions = (await listAdminActions(ctx.db.db)).rows;
    expect(actions.find((row) => row.targetId === key?.id && row.action === "api_key.revoke")).toMatchObject({
      actor: operator.user.username,
    });
    expect(await (await app.request("/keys?done=revoked", { headers: operator.headers })).text()).toContain(
      "Key revoked.",
    );
  });

  it("renders HTML in a key name as text", async () => {
    const app = createAdminApp(ctx);
    await app.request("/keys", formPost(admin, { name: '<script>alert("k")</script>', scope: "all" }));
    const html = await (await app.request("/keys", { headers: viewer.headers })).text();
    expect(html).not.toContain('<script>alert("k")');
    expect(html).toContain("&lt;script&gt;alert(&quot;k&quot;)&lt;/script&gt;");
  });
});

describe("/api/keys", () => {
  it("creates, lists and revokes a key", async () => {
    const app = createAdminApp(ctx);
    const created = await app.request(
      "/api/keys",
      jsonWrite(operator, "POST", { name: "api key", scope: { kind: "all" }, expiresInDays: 7 }),
    );
    expect(created.status).toBe(201);
    const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };
    expect(await verifyApiKey(ctx.db.db, secret)).toMatchObject({ ok: true, key: { id: key.id } });
    const list = (await (await app.request("/api/keys", { headers: viewer.headers })).json()) as {
      keys: Array<{ id: string; secretHash?: string }>;
    };
    expect(list.keys.find((item) => item.id === key.id)).toBeDefined();
    expect(JSON.stringify(list)).not.toContain(secret);
    const revoked = await app.request(`/api/keys/${key.id}/revoke`, jsonWrite(operator, "POST", {}));
    expect(await revoked.json()).toMatchObject({ key: { id: key.id, revokedAt: expect.any(String) } });
    expect((await verifyApiKey(ctx.db.db, secret)).ok).toBe(false);
  });

  it("refuses an unknown field, a bad scope and an unknown key", async () => {
    const app = createAdminApp(ctx);
    const unknown = await app.request(
      "/api/keys",
      jsonWrite(admin, "POST", { name: "x", scope: { kind: "all" }, admin: true }),
    );
    expect(await unknown.json()).toMatchObject({ error: { message: 'Unknown field "admin"' } });
    const scope = await app.request(
      "/api/keys",
      jsonWrite(admin, "POST", { name: "x", scope: { kind: "root" } }),
    );
    expect(scope.status).toBe(400);
    const missing = await app.request(
      "/api/keys/00000000-0000-4000-8000-000000000000/revoke",
      jsonWrite(admin, "POST", {}),
    );
    expect(missing.status).toBe(404);
  });

  it("refuses a viewer every change with 403", async () => {
    const app = createAdminApp(ctx);
    expect(
      (await app.request("/api/keys", jsonWrite(viewer, "POST", { name: "v", scope: { kind: "all" } })))
        .status,
    ).toBe(403);
    expect((await app.request("/keys", formPost(viewer, { name: "v", scope: "all" }))).status).toBe(403);
    const [key] = await listApiKeys(ctx.db.db);
    expect((await app.request(`/api/keys/${key?.id}/revoke`, jsonWrite(viewer, "POST", {}))).status).toBe(
      403,
    );
    expect((await app.request(`/keys/${key?.id}/revoke`, formPost(viewer, {}))).status).toBe(403);
  });
});
