import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { portabilityIssues } from "../../schema/portability.js";
import { readOpenApi } from "./document.js";
import { operationsOf } from "./operations.js";

const examples = (file: string) =>
  readFileSync(createRequire(import.meta.url).resolve(`@readme/oas-examples/${file}`), "utf8");

// A tree of nodes (each node's children are nodes), and an operation that takes and returns one.
const circular = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Trees", version: "1" },
  servers: [{ url: "https://trees.example.com/{version}", variables: { version: { default: "v2" } } }],
  components: {
    securitySchemes: {
      treeToken: { type: "http", scheme: "bearer" },
      queryKey: { type: "apiKey", in: "query", name: "key" },
    },
    schemas: {
      Node: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string" },
          children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
        },
      },
    },
  },
  security: [{ treeToken: [] }],
  paths: {
    "/trees/{tree-id}": {
      parameters: [{ name: "tree-id", in: "path", required: true, schema: { type: "string" } }],
      get: {
        operationId: "getTree",
        summary: "Read a tree",
        parameters: [{ name: "depth", in: "query", schema: { type: "integer", nullable: true } }],
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } },
          },
        },
      },
      put: {
        operationId: "putTree",
        security: [{ queryKey: [] }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } },
        },
        responses: { "204": { description: "stored" } },
      },
    },
  },
});

describe("OpenAPI import", () => {
  it("turns a document with circular references into tools, the cycle cut to an open schema", async () => {
    const [get, put] = operationsOf(await readOpenApi(circular));
    expect(get?.tool).toMatchObject({
      name: "get_tree",
      title: "Read a tree",
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      request: {
        method: "GET",
        url: "https://trees.example.com/v2/trees/{tree_id}",
        query: { depth: "{depth}" },
        headers: { authorization: "Bearer {secret:TREE_TOKEN}" },
      },
      inputSchema: {
        type: "object",
        properties: { tree_id: { type: "string" }, depth: { type: ["integer", "null"] } },
        required: ["tree_id"],
      },
    });
    expect(get?.secrets).toEqual(["TREE_TOKEN"]);
    const children = (get?.tool?.outputSchema?.properties as Record<string, { items: unknown }> | undefined)
      ?.children;
    expect(children?.items).toEqual({ description: "Any value (a recursive Node)" });
    expect(put?.tool?.request).toMatchObject({ method: "PUT", body: "{body}", headers: {} });
    expect(put?.problems).toEqual([
      "security scheme queryKey (apiKey in query) is not sent: secrets go in headers only",
    ]);
  });

  it("reads a large real-world document (ReadMe's own API, OpenAPI 3.1) and YAML (Star Trek, 3.0)", async () => {
    const readme = operationsOf(await readOpenApi(examples("3.1/json/readme.json")));
    expect(readme.length).toBeGreaterThan(50);
    const tools = readme.flatMap((operation) => (operation.tool ? [operation.tool] : []));
    expect(tools.length).toBeGreaterThan(readme.length * 0.9);
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
    const trek = operationsOf(await readOpenApi(examples("3.0/yaml/star-trek.yaml")));
    expect(trek.filter((operation) => operation.tool).length).toBeGreaterThan(20);
  });

  it("imports the parser's own circular examples without looping", async () => {
    for (const file of [
      "3.0/json/circular.json",
      "3.0/json/circular-request-bodies.json",
      "3.0/json/schema-circular.json",
    ]) {
      const operations = operationsOf(await readOpenApi(examples(file)));
      expect(operations.length).toBeGreaterThan(0);
      for (const operation of operations)
        expect(JSON.stringify(operation.tool ?? {}).length).toBeLessThan(1_000_000);
    }
  });

  it("refuses a broken document, naming where it is broken", async () => {
    const broken = JSON.parse(circular);
    broken.paths["/trees/{tree-id}"].get.responses = "none";
    await expect(readOpenApi(JSON.stringify(broken))).rejects.toThrow(/responses/);
    await expect(readOpenApi("openapi: [unclosed")).rejects.toThrow(
      /^The document is neither JSON nor YAML: /,
    );
    await expect(readOpenApi('{"swagger": "2.0"}')).rejects.toThrow(
      "Only OpenAPI 3.0 and 3.1 are read; this document says openapi: null",
    );
  });

  it("never follows a reference out of the document", async () => {
    const external = JSON.parse(circular);
    external.components.schemas.Node = { $ref: "file:///etc/passwd" };
    const leaking = JSON.parse(circular);
    leaking.components.schemas.Node = { $ref: "http://169.254.169.254/latest/meta-data" };
    for (const doc of [external, leaking]) {
      const imported = await readOpenApi(JSON.stringify(doc)).then(
        operationsOf,
        (error: Error) => error.message,
      );
      expect(JSON.stringify(imported)).not.toMatch(/root:|ami-id/);
    }
  });

  it("reports what some providers would not take in an imported schema", async () => {
    const [get] = operationsOf(await readOpenApi(circular));
    expect(portabilityIssues(get?.tool?.inputSchema).map((issue) => issue.path)).toEqual([
      "/properties/depth/type",
    ]);
  });
});
