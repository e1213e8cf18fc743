import { describe, expect, it } from "vitest";
import { openDatabase } from "./open.js";

const embedded = { DATA_DIR: "memory://", DATABASE_POOL_MAX: 1, DATABASE_URL: undefined };

describe("the embedded database, opened behind its first statements", () => {
  it("answers once open, the migrations applied", async () => {
    const database = await openDatabase(embedded);
    try {
      expect(database.state).toBe("opening");
      await database.ready;
      expect(database.state).toBe("open");
      await database.ping();
    } finally {
      await database.close();
    }
  });

  it("stops without opening when closed at once, and says so to whoever waits", async () => {
    const database = await openDatabase(embedded);
    await database.close();
    await expect(database.ready).rejects.toThrow("closed before it opened");
    expect(database.state).toBe("failed");
  });
});
