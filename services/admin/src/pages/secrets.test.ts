import { randomBytes } from "node:crypto";
import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, type SignedIn, signInEveryRole } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091", SECRETS_KEY: randomBytes(32).toString("base64") });
  ({ admin, operator, viewer } = await signInEveryRole(ctx));
});
afterAll(() => ctx.close());

const VALUE = "s3cr3t-value-that-must-not-show";

describe("/secrets", () => {
  it("lets an admin set a secret whose value no page shows again, and delete it after a confirmation", async () => {
    const app = createAdminApp(ctx);
    const saved = await app.request("/secrets", formPost(admin, { name: "TICKETS", value: VALUE }));
    expect(saved.status).toBe(303);
    const page = await (await app.request("/secrets?done=saved", { headers: admin.headers })).text();
    expect(page).toContain("Secret saved.");
    expect(page).toContain("<code>TICKETS</code>");
    expect(page).toContain(admin.user.username);
    expect(page).not.toContain(VALUE);
    const confirm = await (await app.request("/secrets/TICKETS/delete", { headers: admin.headers })).text();
    expect(confirm).toContain("Tools that send it fail");
    expect((await app.request("/secrets/TICKETS/delete", formPost(admin, {}))).status).toBe(303);
    expect(await (await app.request("/secrets", { headers: admin.headers })).text()).not.toContain(
      "<code>TICKETS</code>",
    );
  });

  it("says what is wrong with a name, keeping it but never the value", async () => {
    const bad = await createAdminApp(ctx).request(
      "/secrets",
      formPost(admin, { name: "no spaces", value: VALUE }),
    );
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain("letters, digits, _ . and -");
    expect(text).toContain('value="no spaces"');
    expect(text).not.toContain(VALUE);
  });

  it("shows names to every role and lets only admins change them", async () => {
    const app = createAdminApp(ctx);
    expect(await (await app.request("/secrets", { headers: viewer.headers })).text()).toContain(
      "Admins set and delete",
    );
    expect((await app.request("/secrets", formPost(operator, { name: "X", value: "y" }))).status).toBe(403);
    expect((await app.request("/secrets/X/delete", formPost(operator, {}))).status).toBe(403);
  });
});
