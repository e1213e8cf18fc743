import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { adminAudit, users } from "../db/schema.js";
import { createTestContext } from "../testing/context.js";
import { createTestDatabase, realServiceUrl, type TestDatabase } from "../testing/services.js";
import { createUser } from "./create.js";
import { listUsers } from "./list.js";
import { updateUser } from "./update.js";

const serverUrl = realServiceUrl("DATABASE_URL");

// On PostgreSQL the two changes really run at once, on two connections.
describe.skipIf(!serverUrl)("the last-admin guard on PostgreSQL", () => {
  let database: TestDatabase;
  let ctx: AppContext;
  beforeAll(async () => {
    database = await createTestDatabase(serverUrl ?? "");
    ctx = await createTestContext({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await ctx?.close();
    await database?.drop();
  });

  it("leaves one admin when two admins demote each other at the same moment, every time", async () => {
    for (let round = 0; round < 5; round++) {
      await ctx.db.db.delete(adminAudit);
      await ctx.db.db.delete(users);
      const [ann, ben] = await Promise.all(
        ["ann", "ben"].map((username) =>
          createUser(ctx, "root", { username, role: "admin", password: "a long password" }),
        ),
      );
      if (!ann || !ben) throw new Error("expected two admins");
      await Promise.allSettled([
        updateUser(ctx, "ben", ann.id, { role: "viewer" }),
        updateUser(ctx, "ann", ben.id, { disabled: true }),
      ]);
      const admins = (await listUsers(ctx)).filter((user) => user.role === "admin" && !user.disabled);
      expect(admins).toHaveLength(1);
    }
  });
});
