import { type AppContext, createApiKey, notes } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { local, type SignedIn, signIn } from "../test-support.js";
import { type FuzzCase, fuzzCases, nastyCases, type OpenApiDocument } from "../testing/fuzz-cases.js";

// Fixed, so a run is repeatable; FUZZ_SEED picks another (a failure prints the seed it used).
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

let ctx: AppContext;
let admin: SignedIn;
let ids: string[];
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
  // Real ids for the generator to aim at, so requests reach past "not found"; never the fuzzing
  // admin's own, which would sign it out and leave the rest of the run at 401.
  const other = await signIn(ctx, "operator");
  const { key } = await createApiKey(ctx.db.db, { name: "fuzz", scope: { kind: "all" }, createdBy: "fuzz" });
  const [note] = await ctx.db.db.insert(notes).values({ title: "fuzz note" }).returning({ id: notes.id });
  ids = [other.user.id, key.id, note?.id ?? "", "echo", "note_search"];
});
afterAll(() => ctx.close());

async function send(app: ReturnType<typeof createAdminApp>, request: FuzzCase): Promise<Response> {
  const headers: Record<string, string> = { ...admin.headers, "x-csrf-token": admin.csrf };
  if (request.contentType) headers["content-type"] = request.contentType;
  return app.request(request.url, { method: request.method, headers, body: request.body });
}

describe("the admin JSON API under generated malformed input", () => {
  it("never answers 5xx or crashes, and answers a good request afterwards", async () => {
    const app = createAdminApp(ctx);
    const doc = (await (
      await app.request("/api/openapi.json", { headers: admin.headers })
    ).json()) as OpenApiDocument;
    const statuses = new Map<number, number>();
    try {
      await fc.assert(
        fc.asyncProperty(fuzzCases(doc, ids), async (request) => {
          const response = await send(app, request);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const text = await response.text();
          expect(
            response.status,
            `${request.method} ${request.url.slice(0, 200)} → ${text.slice(0, 300)}`,
          ).toBeLessThan(500);
        }),
        { seed: SEED, numRuns: RUNS, examples: nastyCases(doc).map((request) => [request]) },
      );
    } catch (error) {
      throw new Error(`fuzz failed with seed ${SEED} (FUZZ_SEED=${SEED} to replay)`, { cause: error });
    }
    const fresh = await signIn(ctx, "admin");
    expect((await app.request("/api/me", { headers: fresh.headers })).status).toBe(200);
    expect((await app.request("/api/tools", { headers: { ...local, ...fresh.headers } })).status).toBe(200);
    // The run reached past the front door: refusals and successes alike.
    expect([...statuses.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });
});
