import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
});
afterAll(() => ctx.close());

const errorOf = async (response: Response) => ({
  status: response.status,
  ...((await response.json()) as { error: { code: string; message: string; details?: unknown } }).error,
});
const write = (method: string, body?: string, contentType?: string): RequestInit => {
  const headers: Record<string, string> = { ...admin.headers, "x-csrf-token": admin.csrf };
  if (contentType) headers["content-type"] = contentType;
  return { method, headers, body };
};

describe("a JSON body, before its route's schema", () => {
  it("is refused for a NUL or lone surrogate on every route that takes one, before any field is checked", async () => {
    const app = createAdminApp(ctx);
    const document = (await (await app.request("/api/openapi.json", { headers: admin.headers })).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.requestBody)
        .map(([method]) => [method.toUpperCase(), path.replace(/\{\w+\}/g, crypto.randomUUID())] as const),
    );
    expect(routes.length).toBeGreaterThan(10);
    for (const [method, url] of routes) {
      const response = await app.request(url, jsonWrite(admin, method, { surely: 42, deep: ["a\ud800"] }));
      expect(`${method} ${url} → ${JSON.stringify(await errorOf(response))}`).toBe(
        `${method} ${url} → ${JSON.stringify({
          status: 400,
          code: "INVALID",
          message: "deep.0: must be well-formed Unicode (no lone surrogates)",
          details: { field: "deep.0" },
        })}`,
      );
    }
  });

  it("must be JSON: no body, or one that is not JSON, is named so", async () => {
    const app = createAdminApp(ctx);
    for (const init of [
      write("POST"),
      write("POST", "{", "application/json"),
      write("POST", "", "application/json"),
    ])
      expect(await errorOf(await app.request("/api/keys", init))).toEqual({
        status: 400,
        code: "INVALID",
        message: "The body must be a JSON object",
      });
    expect(await errorOf(await app.request("/api/keys", write("POST", "[1]", "application/json")))).toEqual({
      status: 400,
      code: "INVALID",
      message: "The body must be a JSON object: Invalid input: expected object, received array",
    });
  });

  // fetch() labels a string body text/plain unless told otherwise; the route's media-type check
  // (@hono/zod-openapi) refuses it, as it does a form: a JSON body must say it is JSON.
  it("must be labelled JSON: another media type is 415, in the API's error shape", async () => {
    const app = createAdminApp(ctx);
    const body = JSON.stringify({ name: "k", scope: { kind: "all" } });
    const form = "name=k";
    for (const init of [write("POST", body), write("POST", form, "application/x-www-form-urlencoded")])
      expect(await errorOf(await app.request("/api/keys", init))).toMatchObject({
        status: 415,
        code: "INVALID",
      });
    expect(
      (await app.request("/api/keys", write("POST", body, "application/json; charset=utf-8"))).status,
    ).toBe(201);
  });
});
