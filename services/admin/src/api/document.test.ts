import type { AppContext } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let admin: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  admin = await signIn(ctx, "admin");
});
afterAll(() => ctx.close());

type Schema = { $ref?: string; additionalProperties?: unknown; pattern?: string; [key: string]: unknown };
type Operation = { requestBody?: { content: Record<string, { schema: Schema }> } };
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const documentOf = async (): Promise<Document> =>
  (await (
    await createAdminApp(ctx).request("/api/openapi.json", { headers: admin.headers })
  ).json()) as Document;

describe("GET /api/openapi.json", () => {
  it("describes every API route, with request bodies from the validating schemas", async () => {
    const response = await createAdminApp(ctx).request("/api/openapi.json", { headers: admin.headers });
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: object; additionalProperties?: unknown }> };
    };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/api/me",
        "/api/me/password",
        "/api/tools",
        "/api/tools/{name}",
        "/api/keys",
        "/api/keys/{id}/revoke",
        "/api/audit",
        "/api/audit/admin",
        "/api/dashboard",
        "/api/sessions",
        "/api/sessions/{id}/terminate",
        "/api/notes",
        "/api/notes/{id}",
        "/api/users",
        "/api/users/{id}",
        "/api/users/{id}/revoke-sessions",
        "/api/secrets",
        "/api/keys/{id}/pins",
        "/api/secrets/{name}",
        "/api/http-tools",
        "/api/http-tools/{toolId}",
        "/api/tool-versions",
        "/api/tool-versions/{id}/approve",
        "/api/tool-versions/{id}/reject",
        "/api/openapi-import/preview",
        "/api/openapi-import",
        "/api/prompts",
        "/api/prompts/{name}",
        "/api/prompts/{name}/enabled",
        "/api/prompts/{name}/rollback",
        "/api/tasks",
        "/api/tasks/{id}/cancel",
      ].sort(),
    );
    expect(Object.keys(document.paths["/api/users"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(document.components.schemas.CreateUserBody).toMatchObject({
      properties: { username: { type: "string" }, role: { enum: ["admin", "operator", "viewer"] } },
      additionalProperties: false,
    });
  });

  it("shows a prompt argument's suggested values, with their limits", async () => {
    const document = await documentOf();
    const definition = document.components.schemas.PromptDefinition as {
      properties: { arguments: { items: { properties: Record<string, Schema> } } };
    };
    expect(definition.properties.arguments.items.properties.suggestions).toMatchObject({
      type: "array",
      maxItems: 100,
      items: { type: "string", minLength: 1, maxLength: 200 },
      description: expect.stringContaining("any other value is still accepted"),
    });
  });

  it("leaves no /api route undocumented", async () => {
    const document = (await (
      await createAdminApp(ctx).request("/api/openapi.json", { headers: admin.headers })
    ).json()) as { paths: Record<string, Record<string, unknown>> };
    const served = createAdminApp(ctx)
      // ALL entries are middleware mounted on a path (the small-form limit), not routes.
      .routes.filter((route) => route.path.startsWith("/api/") && !route.path.endsWith("*"))
      .filter((route) => route.method !== "ALL")
      .filter((route) => route.path !== "/api/openapi.json")
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...new Set(served)].sort());
  });
});

describe("the generated document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await documentOf();
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("keeps the session cookie scheme, the CSRF header and the sign-in text", async () => {
    const document = (await documentOf()) as Document & {
      info: { description: string };
      components: { securitySchemes: unknown; parameters: Record<string, { name: string }> };
      security: unknown;
    };
    expect(document.info.description).toContain("X-CSRF-Token");
    expect(document.components.securitySchemes).toEqual({
      session: { type: "apiKey", in: "cookie", name: "admin_session" },
    });
    expect(document.security).toEqual([{ session: [] }]);
    expect(document.components.parameters.CsrfToken?.name).toBe("X-CSRF-Token");
  });

  it("declares every request body strict: an unknown field is refused, not dropped", async () => {
    const document = await documentOf();
    const bodies = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) => {
        const schema = operation.requestBody?.content["application/json"]?.schema;
        if (!schema) return [];
        const name = schema.$ref?.split("/").at(-1) ?? "";
        return [[`${method} ${path}`, document.components.schemas[name] ?? schema] as const];
      }),
    );
    expect(bodies.length).toBeGreaterThan(10);
    for (const [operation, schema] of bodies)
      expect(`${operation}: ${String(schema.additionalProperties)}`).toBe(`${operation}: false`);
  });

  it("has only patterns a JSON Schema validator can compile", async () => {
    const patterns: string[] = [];
    JSON.stringify(await documentOf(), (key, value: unknown) => {
      if (key === "pattern" && typeof value === "string") patterns.push(value);
      return value;
    });
    expect(patterns).toContain("^[^\\p{Cc}]+$");
    for (const pattern of patterns) expect(() => new RegExp(pattern, "u")).not.toThrow();
  });
});
