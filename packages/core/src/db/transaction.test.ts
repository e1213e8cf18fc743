import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, realServiceUrl, type TestDatabase } from "../testing/services.js";
import { createDatabase, type Database } from "./client.js";
import { migrate } from "./migrate.js";
import { toolSettings } from "./schema.js";

const serverUrl = realServiceUrl("DATABASE_URL");

// The same behaviour from both drivers: admin changes rely on it to land with their audit row.
function transactionContract(open: () => Promise<Database>, close: () => Promise<void> = async () => {}) {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await migrate(database);
  });
  afterAll(async () => {
    await database?.close();
    await close();
  });

  const setting = async (tool: string) =>
    (await database.db.select().from(toolSettings).where(eq(toolSettings.tool, tool)))[0];

  it("commits every statement of a transaction together", async () => {
    const result = await database.db.transaction(async (tx) => {
      await tx.insert(toolSettings).values({ tool: "committed", updatedBy: "a" });
      await tx.update(toolSettings).set({ updatedBy: "b" }).where(eq(toolSettings.tool, "committed"));
      return (await tx.select().from(toolSettings).where(eq(toolSettings.tool, "committed")))[0]?.updatedBy;
    });
    expect(result).toBe("b");
    expect((await setting("committed"))?.updatedBy).toBe("b");
  });

  it("rolls every statement back when the work throws, and rethrows", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(toolSettings).values({ tool: "rolled-back", updatedBy: "a" });
        throw new Error("the audit row failed");
      }),
    ).rejects.toThrow("the audit row failed");
    expect(await setting("rolled-back")).toBeUndefined();
  });

  it("rolls back when a statement fails, and the database serves the next query", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(toolSettings).values({ tool: "half", updatedBy: "a" });
        await tx.insert(toolSettings).values({ tool: "half", updatedBy: "duplicate" });
      }),
    ).rejects.toSatisfy((error: Error) => (error.cause as { code?: string } | undefined)?.code === "23505");
    expect(await setting("half")).toBeUndefined();
    expect(await database.db.select().from(toolSettings)).toBeInstanceOf(Array);
  });

  it("keeps queries from outside out of an open transaction that rolls back", async () => {
    let release: () => void = () => {};
    let sawOwnRow = false;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inside = database.db
      .transaction(async (tx) => {
        await tx.insert(toolSettings).values({ tool: "inside", updatedBy: "a" });
        sawOwnRow =
          (await tx.select().from(toolSettings).where(eq(toolSettings.tool, "inside"))).length === 1;
        await held;
        throw new Error("roll back");
      })
      .catch(() => "rolled back");
    // Issued while the transaction is open: it must not become part of it.
    const outside = database.db.insert(toolSettings).values({ tool: "outside", updatedBy: "b" });
    setTimeout(release, 50);
    expect(await Promise.all([inside, outside.then(() => "done")])).toEqual(["rolled back", "done"]);
    expect(sawOwnRow).toBe(true);
    expect(await setting("inside")).toBeUndefined();
    expect(await setting("outside")).toMatchObject({ updatedBy: "b" });
  });
}

describe("transactions on embedded PGlite", () => {
  transactionContract(() =>
    createDatabase({ DATA_DIR: "memory://", DATABASE_POOL_MAX: 1, DATABASE_URL: undefined }),
  );
});

describe.skipIf(!serverUrl)("transactions on PostgreSQL", () => {
  let testDb: TestDatabase;
  transactionContract(
    async () => {
      testDb = await createTestDatabase(serverUrl ?? "");
      return createDatabase({ DATABASE_URL: testDb.url, DATABASE_POOL_MAX: 2, DATA_DIR: "unused" });
    },
    () => testDb.drop(),
  );
});
