import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { adminAudit, users } from "../db/schema.js";
import { createTestContext } from "../testing/context.js";
import { createUser } from "./create.js";
import { listUsers } from "./list.js";
import { createSession, resolveSession, revokeUserSessions } from "./sessions.js";
import { updateUser } from "./update.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(async () => {
  await ctx.db.db.delete(adminAudit);
  await ctx.db.db.delete(users);
});

const audit = () => ctx.db.db.select().from(adminAudit).orderBy(adminAudit.id);

describe("managing users", () => {
  it("creates users, refuses a taken name and never exposes the hash", async () => {
    const bob = await createUser(ctx, "root", {
      username: "bob",
      role: "viewer",
      password: "bob's long password",
    });
    expect(bob).toMatchObject({ username: "bob", role: "viewer", disabled: false, setupPending: false });
    expect(JSON.stringify(await listUsers(ctx))).not.toContain("scrypt");
    await expect(
      createUser(ctx, "root", { username: "bob", role: "admin", password: "another long password" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      createUser(ctx, "root", { username: "carol", role: "viewer", password: "short" }),
    ).rejects.toMatchObject({ code: "INVALID", details: { field: "password" } });
    expect(await audit()).toMatchObject([
      { actor: "root", action: "user.created", targetId: bob.id, after: { username: "bob", role: "viewer" } },
    ]);
  });

  it("changes a role and audits before and after", async () => {
    const bob = await createUser(ctx, "root", {
      username: "bob",
      role: "viewer",
      password: "bob's long password",
    });
    expect(await updateUser(ctx, "root", bob.id, { role: "operator" })).toMatchObject({ role: "operator" });
    expect((await audit()).at(-1)).toMatchObject({
      action: "user.role_changed",
      before: { role: "viewer", disabled: false },
      after: { role: "operator", disabled: false },
    });
  });

  it("refuses to demote or disable the last enabled admin", async () => {
    const root = await createUser(ctx, "root", {
      username: "root",
      role: "admin",
      password: "root's long password",
    });
    await expect(updateUser(ctx, "root", root.id, { role: "viewer" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(updateUser(ctx, "root", root.id, { disabled: true })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await createUser(ctx, "root", { username: "second", role: "admin", password: "second long password" });
    expect(await updateUser(ctx, "root", root.id, { role: "viewer" })).toMatchObject({ role: "viewer" });
  });

  it("leaves one admin when two admins demote each other at the same moment", async () => {
    const [ann, ben] = await Promise.all(
      ["ann", "ben"].map((username) =>
        createUser(ctx, "root", { username, role: "admin", password: "a long password" }),
      ),
    );
    if (!ann || !ben) throw new Error("expected two admins");
    const results = await Promise.allSettled([
      updateUser(ctx, "ben", ann.id, { role: "viewer" }),
      updateUser(ctx, "ann", ben.id, { disabled: true }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(results.find((result) => result.status === "rejected")).toMatchObject({
      reason: { code: "CONFLICT" },
    });
    const admins = (await listUsers(ctx)).filter((user) => user.role === "admin" && !user.disabled);
    expect(admins).toHaveLength(1);
  });

  it("revokes every session of a user, and disabling ends them too", async () => {
    const bob = await createUser(ctx, "root", {
      username: "bob",
      role: "viewer",
      password: "bob's long password",
    });
    const one = await createSession(ctx, bob);
    const two = await createSession(ctx, bob);
    expect(await revokeUserSessions(ctx, "root", bob.id)).toBe(2);
    expect(await resolveSession(ctx, one.token)).toBeUndefined();
    expect(await resolveSession(ctx, two.token)).toBeUndefined();
    expect((await audit()).at(-1)).toMatchObject({
      action: "user.sessions_revoked",
      before: { sessions: 2 },
    });
    const three = await createSession(ctx, bob);
    await updateUser(ctx, "root", bob.id, { disabled: true });
    expect(await resolveSession(ctx, three.token)).toBeUndefined();
  });

  it("answers NOT_FOUND for an unknown or malformed id", async () => {
    await expect(updateUser(ctx, "root", "not-a-uuid", { role: "viewer" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      revokeUserSessions(ctx, "root", "00000000-0000-4000-8000-000000000000"),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
