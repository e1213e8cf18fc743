import { afterAll, beforeAll, describe } from "vitest";
import type { AppContext, ContextOptions } from "../context.js";
import { createTestContext } from "./context.js";
import { createTestDatabase, realServiceUrl } from "./services.js";

/** A context on one kind of database, and how to dispose of both. Test-only. */
export interface OpenedContext {
  ctx: AppContext;
  close(): Promise<void>;
}

/** One of the databases the server runs on, for a test to open contexts on. */
export interface DatabaseUnderTest {
  kind: "PGlite" | "PostgreSQL";
  open(overrides?: Record<string, string>, options?: ContextOptions): Promise<OpenedContext>;
}

const databaseUrl = realServiceUrl("DATABASE_URL");

const pglite: DatabaseUnderTest = {
  kind: "PGlite",
  async open(overrides = {}, options = {}) {
    const ctx = await createTestContext(overrides, options);
    return { ctx, close: () => ctx.close() };
  },
};

// A fresh database per context, so tests sharing the server never see each other's rows.
const postgres: DatabaseUnderTest = {
  kind: "PostgreSQL",
  async open(overrides = {}, options = {}) {
    const database = await createTestDatabase(databaseUrl ?? "");
    const ctx = await createTestContext({ ...overrides, DATABASE_URL: database.url }, options).catch(
      async (error: unknown) => {
        await database.drop();
        throw error;
      },
    );
    return {
      ctx,
      async close() {
        await ctx.close();
        await database.drop();
      },
    };
  },
};

/** Runs `body` on embedded PGlite and, when DATABASE_URL is set, on a real PostgreSQL. */
export function describeEachDatabase(title: string, body: (database: DatabaseUnderTest) => void): void {
  describe(`${title} (PGlite)`, () => body(pglite));
  describe.skipIf(!databaseUrl)(`${title} (PostgreSQL)`, () => body(postgres));
}

/**
 * Opens a context on `database` before a suite's tests, hands it to `use`, and closes it after them:
 * the set-up of a `describeEachDatabase` body that shares one context.
 */
export function openContextFor(
  database: DatabaseUnderTest,
  use: (ctx: AppContext) => void,
  overrides?: Record<string, string>,
): void {
  let opened: OpenedContext | undefined;
  beforeAll(async () => {
    opened = await database.open(overrides);
    use(opened.ctx);
  });
  afterAll(() => opened?.close());
}
