import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { adminAudit, users } from "../db/schema.js";
import { createTestContext, testConfig } from "../testing/context.js";
import { changePassword } from "./change-password.js";
import { createUser } from "./create.js";
import { login } from "./login.js";
import { createPasswordGate } from "./password-gate.js";
import { createSession, resolveSession } from "./sessions.js";

let ctx: AppContext;
beforeAll(async () => {
  const shared = await createTestContext();
  ctx = { ...shared, config: { ...shared.config, ...testConfig({ LOGIN_MAX_ATTEMPTS: "2" }) } };
});
afterAll(() => ctx.close());
beforeEach(async () => {
  await ctx.db.db.delete(adminAudit);
  await ctx.db.db.delete(users);
});

const gate = createPasswordGate({ concurrency: 2, queue: 100 });
const options = { gate, clientIp: "10.0.0.1" };
const signIn = (password: string) =>
  login(ctx, { username: "hana", password, clientIp: "10.0.0.9" }, { gate });

describe("changePassword", () => {
  it("sets the new password, ends every other session of the user, keeps this one, and audits it", async () => {
    const hana = await createUser(ctx, "root", {
      username: "hana",
      role: "viewer",
      password: "hana's old password",
    });
    const mine = await createSession(ctx, hana);
    const elsewhere = await createSession(ctx, hana);
    const result = await changePassword(
      ctx,
      {
        userId: hana.id,
        sessionToken: mine.token,
        currentPassword: "hana's old password",
        newPassword: "hana's new password",
      },
      options,
    );
    expect(result).toEqual({ otherSessionsEnded: 1 });
    expect(await resolveSession(ctx, mine.token)).toBeDefined();
    expect(await resolveSession(ctx, elsewhere.token)).toBeUndefined();
    expect((await signIn("hana's old password")).ok).toBe(false);
    expect((await signIn("hana's new password")).ok).toBe(true);
    const rows = await ctx.db.db.select().from(adminAudit);
    expect(rows.at(-1)).toMatchObject({
      actor: "hana",
      action: "user.password_changed",
      targetId: hana.id,
      after: { otherSessionsEnded: 1 },
    });
    expect(JSON.stringify(rows)).not.toContain('password"');
  });

  it("refuses a wrong current password naming the field, changes nothing, and counts it like a sign-in", async () => {
    const hana = await createUser(ctx, "root", {
      username: "hana",
      role: "viewer",
      password: "hana's old password",
    });
    const mine = await createSession(ctx, hana);
    const change = (currentPassword: string) =>
      changePassword(
        ctx,
        { userId: hana.id, sessionToken: mine.token, currentPassword, newPassword: "hana's new password" },
        options,
      );
    await expect(change("a wrong guess")).rejects.toMatchObject({
      code: "INVALID",
      message: "currentPassword: is not your current password",
      details: { field: "currentPassword" },
    });
    await change("another wrong guess").catch(() => undefined);
    await expect(change("hana's old password")).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect((await signIn("hana's old password")).ok).toBe(true);
  });

  it("refuses a new password that breaks the rules, naming it", async () => {
    const hana = await createUser(ctx, "root", {
      username: "hana",
      role: "viewer",
      password: "hana's old password",
    });
    const mine = await createSession(ctx, hana);
    for (const newPassword of ["short", "hana's old password", `nul \u0000 in a long password`]) {
      await expect(
        changePassword(
          ctx,
          { userId: hana.id, sessionToken: mine.token, currentPassword: "hana's old password", newPassword },
          options,
        ),
      ).rejects.toMatchObject({ code: "INVALID", details: { field: "newPassword" } });
    }
  });
});
