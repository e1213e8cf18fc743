import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, realServiceUrl, type TestDatabase } from "../testing/services.js";
import { createDatabase } from "./client.js";
import { migrate, pendingMigrations } from "./migrate.js";

const serverUrl = realServiceUrl("DATABASE_URL");
const cli = fileURLToPath(new URL("./migrate-cli.ts", import.meta.url));

describe("migrate on embedded PGlite", () => {
  it("applies every migration and is a no-op the second time", async () => {
    const database = await createDatabase({
      DATA_DIR: "memory://",
      DATABASE_POOL_MAX: 1,
      DATABASE_URL: undefined,
    });
    try {
      await migrate(database);
      await migrate(database);
      expect(await pendingMigrations(database)).toBe(0);
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(!serverUrl)("migrate on PostgreSQL", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(serverUrl ?? "");
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("applies each migration exactly once when three processes start at once", async () => {
    const runs = Array.from({ length: 3 }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", cli], {
        env: { PATH: process.env.PATH ?? "", DATABASE_URL: testDb.url, LOG_LEVEL: "warn" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      return once(child, "exit").then(([code]) => ({ code, stderr }));
    });
    const results = await Promise.all(runs);
    for (const result of results) expect(result).toEqual({ code: 0, stderr: "" });

    const sql = postgres(testDb.url, { max: 1, onnotice: () => {} });
    const applied =
      await sql`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`;
    await sql.end();
    expect(applied.length).toBeGreaterThan(0);
    for (const row of applied) expect(row.n).toBe(1);

    const database = await createDatabase({ DATABASE_URL: testDb.url, DATABASE_POOL_MAX: 1, DATA_DIR: "" });
    expect(await pendingMigrations(database)).toBe(0);
    await database.close();
  });
});
