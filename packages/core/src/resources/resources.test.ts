import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { notes } from "../db/schema.js";
import { localPrincipal, type Principal } from "../mcp/principal.js";
import { createMcpServer } from "../mcp/server.js";
import { createTestContext } from "../testing/context.js";
import { insertNote } from "../tools/notes/store.js";
import { noteUri } from "./note-uri.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function connect(principal: Principal = localPrincipal) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, { principal, transport: "in-memory" }).connect(serverSide);
  const client = new Client({ name: "resources", version: "1" });
  await client.connect(clientSide);
  return client;
}

const keyed = (scope: Principal["scope"]): Principal => ({
  id: "key:resource",
  kind: "key",
  scope,
  key: { id: crypto.randomUUID(), prefix: "abcd1234" },
});

describe("notes as resources (2025 eras, SDK v1 client)", () => {
  it("lists every note a page at a time, newest first, and reads one as Markdown", async () => {
    // One insert, a second apart: the order is the notes', not the clock's.
    const saved = await ctx.db.db
      .insert(notes)
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          title: `Note ${i}`,
          body: `Body ${i}`,
          tags: ["paged"],
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        })),
      )
      .returning();
    const client = await connect();
    try {
      const first = await client.listResources();
      expect(first.resources).toHaveLength(50);
      expect(first.resources[0]).toEqual({
        uri: noteUri(saved[54]?.id ?? ""),
        name: "Note 54",
        title: "Note 54",
        description: "Body 54",
        mimeType: "text/markdown",
      });
      const second = await client.listResources({ cursor: first.nextCursor });
      expect(second.resources.map((resource) => resource.name)).toEqual([
        "Note 4",
        "Note 3",
        "Note 2",
        "Note 1",
        "Note 0",
      ]);
      expect(second.nextCursor).toBeUndefined();

      const read = await client.readResource({ uri: noteUri(saved[7]?.id ?? "") });
      expect(read.contents).toHaveLength(1);
      expect(read.contents[0]).toMatchObject({
        uri: noteUri(saved[7]?.id ?? ""),
        mimeType: "text/markdown",
        text: expect.stringMatching(/^# Note 7\n.*#paged.*\n\nBody 7$/),
      });

      // A note's id completes from a few letters of its title (newest first), or of its id.
      const template = { type: "ref/resource" as const, uri: "notes://{id}" };
      const byTitle = await client.complete({ ref: template, argument: { name: "id", value: "note 5" } });
      expect(byTitle.completion.values).toEqual(
        [54, 53, 52, 51, 50, 5].map((i) => saved.find((note) => note.title === `Note ${i}`)?.id),
      );
      const id = saved[7]?.id ?? "";
      const byId = await client.complete({ ref: template, argument: { name: "id", value: id.slice(0, 8) } });
      expect(byId.completion.values).toEqual([id]);
      const wild = await client.complete({ ref: template, argument: { name: "id", value: "%" } });
      expect(wild.completion.values).toEqual([]);
      await expect(
        client.complete({ ref: { type: "ref/prompt", name: "nope" }, argument: { name: "a", value: "" } }),
      ).rejects.toMatchObject({ code: -32602 });

      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates).toEqual([
        expect.objectContaining({ uriTemplate: "notes://{id}", mimeType: "text/markdown" }),
        expect.objectContaining({ uriTemplate: "notes://tagged/{tag}", mimeType: "text/markdown" }),
      ]);
    } finally {
      await client.close();
    }
  });

  it("answers a missing note or an unknown URI with the spec's not-found error, naming the uri", async () => {
    const client = await connect();
    try {
      for (const uri of [noteUri(crypto.randomUUID()), "notes://not-a-uuid", "file:///etc/passwd"]) {
        const error = await client.readResource({ uri }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(McpError);
        expect(error).toMatchObject({ code: -32002, data: { uri } });
      }
      const tooLong = await client
        .readResource({ uri: `notes://${"a".repeat(3000)}` })
        .catch((caught: unknown) => caught);
      expect(tooLong).toMatchObject({
        code: -32602,
        message: expect.stringContaining("uri: longer than 2048"),
      });
      await expect(client.listResources({ cursor: "garbage" })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await client.close();
    }
  });

  it("shows notes only to a caller who may read them with note_get", async () => {
    const [note] = [await insertNote(ctx.db.db, { title: "Scoped", body: "secret", tags: [] })];
    const echoOnly = await connect(keyed({ kind: "tools", tools: ["echo"] }));
    const readOnly = await connect(keyed({ kind: "read-only" }));
    try {
      expect((await echoOnly.listResources()).resources).toEqual([]);
      expect((await echoOnly.listResourceTemplates()).resourceTemplates).toEqual([]);
      await expect(echoOnly.readResource({ uri: noteUri(note?.id ?? "") })).rejects.toMatchObject({
        code: -32002,
      });
      expect((await readOnly.readResource({ uri: noteUri(note?.id ?? "") })).contents).toHaveLength(1);
    } finally {
      await Promise.all([echoOnly.close(), readOnly.close()]);
    }
  });
});
