import { describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { notes } from "../db/schema.js";
import { AppError } from "../errors.js";
import { localPrincipal, type Principal } from "../mcp/principal.js";
import { describeEachDatabase, openContextFor } from "../testing/each-database.js";
import { noteUri, taggedUri } from "./note-uri.js";
import { completeResourceVariable, listResourceTemplates, readResource } from "./serve.js";

describeEachDatabase("notes by tag", (database) => {
  let ctx: AppContext;
  openContextFor(database, (opened) => {
    ctx = opened;
  });

  // A signal per request, as each request has its own.
  const asLocal = () => ({ principal: localPrincipal, signal: new AbortController().signal });
  const completeTag = (typed: string, principal: Principal = localPrincipal) =>
    completeResourceVariable(ctx, { ...asLocal(), principal }, "notes://tagged/{tag}", "tag", typed);
  const read = (uri: string) => readResource(ctx, asLocal(), uri);
  const readText = async (uri: string) => {
    const [first] = (await read(uri)).contents;
    return first && "text" in first ? first.text : "";
  };

  // One insert with explicit creation times, a second apart: the order is the notes', not the clock's.
  async function saveNotes(rows: Array<{ title: string; tags: string[] }>) {
    return ctx.db.db
      .insert(notes)
      .values(
        rows.map((row, i) => ({ ...row, createdAt: new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString() })),
      )
      .returning({ id: notes.id, title: notes.title });
  }

  describe("completing {tag}", () => {
    it("suggests the tags in use that start with what was typed, then those containing it, any case", async () => {
      await saveNotes([
        { title: "a", tags: ["homework", "wombat", "work"] },
        { title: "b", tags: ["wombat", "cooking"] },
        { title: "c", tags: ["wombat"] },
      ]);
      // Starting with it first, the more used before the less; then those containing it.
      expect(await completeTag("WoM")).toEqual({
        completion: { values: ["wombat"], hasMore: false, total: 1 },
      });
      expect((await completeTag("wo")).completion).toEqual({
        values: ["wombat", "work", "homework"],
        hasMore: false,
        total: 3,
      });
      expect((await completeTag("nothing-like-it")).completion).toEqual({
        values: [],
        hasMore: false,
        total: 0,
      });
    });

    it("takes what was typed literally: LIKE's wildcards match only themselves", async () => {
      await saveNotes([{ title: "pct", tags: ["100%_done"] }]);
      expect((await completeTag("%")).completion.values).toEqual(["100%_done"]);
      expect((await completeTag("0%_")).completion.values).toEqual(["100%_done"]);
      expect((await completeTag("\\")).completion.values).toEqual([]);
    });

    it("answers at most 100 values, saying how many more there are", async () => {
      const tags = Array.from({ length: 150 }, (_, i) => `bulk-${String(i).padStart(3, "0")}`);
      await saveNotes(
        [0, 1, 2].map((part) => ({ title: `bulk ${part}`, tags: tags.slice(part * 50, part * 50 + 50) })),
      );
      const { completion } = await completeTag("BULK-");
      expect(completion.values).toHaveLength(100);
      expect(completion.values.slice(0, 2)).toEqual(["bulk-000", "bulk-001"]);
      expect(completion).toMatchObject({ hasMore: true, total: 150 });
    });

    it("suggests nothing for a value longer than a tag may be", async () => {
      await saveNotes([{ title: "long", tags: ["x".repeat(64)] }]);
      expect((await completeTag("x".repeat(64))).completion.values).toEqual(["x".repeat(64)]);
      expect((await completeTag("x".repeat(65))).completion).toEqual({
        values: [],
        hasMore: false,
        total: 0,
      });
    });

    it("refuses a value no text column could hold as invalid params", async () => {
      for (const [typed, reason] of [
        ["wo\u0000", "NUL"],
        ["wo\ud800", "lone surrogates"],
      ] as const) {
        const error = await completeTag(typed).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: "INVALID", message: expect.stringContaining(reason) });
      }
    });

    it("is offered only to a caller who may call note_get", async () => {
      const echoOnly: Principal = {
        id: "key:tags",
        kind: "key",
        scope: { kind: "tools", tools: ["echo"] },
        key: { id: crypto.randomUUID(), prefix: "abcd1234" },
      };
      expect((await listResourceTemplates(ctx, { principal: echoOnly })).resourceTemplates).toEqual([]);
      await expect(completeTag("wo", echoOnly)).rejects.toMatchObject({ code: "INVALID" });
      expect(
        (await listResourceTemplates(ctx, asLocal())).resourceTemplates.map((t) => t.uriTemplate),
      ).toEqual(["notes://{id}", "notes://tagged/{tag}"]);
    });
  });

  describe("reading notes://tagged/{tag}", () => {
    it("lists the notes with the tag newest first, as Markdown links to each note", async () => {
      const saved = await saveNotes([
        { title: "Older [draft]", tags: ["reading-list"] },
        { title: "Untagged", tags: [] },
        { title: "Newer\nof two lines", tags: ["reading-list", "other"] },
      ]);
      const [older, , newer] = saved.map((note) => noteUri(note.id));
      const uri = taggedUri("reading-list");
      expect(await read(uri)).toEqual({
        contents: [
          {
            uri,
            mimeType: "text/markdown",
            text:
              "# Notes tagged #reading-list\n\n" +
              `- [Newer of two lines](${newer}) · 2026-02-01\n` +
              `- [Older \\[draft\\]](${older}) · 2026-02-01\n\n` +
              "2 notes, newest first.",
          },
        ],
      });
      // A tag is matched as note_save stores it: any case, and percent-encoded as RFC 6570 expands it.
      expect(await readText("notes://tagged/Reading-List")).toContain(newer);
      await saveNotes([{ title: "spaced", tags: ["two words/ünï"] }]);
      expect(await readText(taggedUri("two words/ünï"))).toContain("[spaced]");
    });

    it("lists the newest 100 and says where the rest are", async () => {
      await saveNotes(Array.from({ length: 101 }, (_, i) => ({ title: `Many ${i}`, tags: ["many"] })));
      const text = await readText(taggedUri("many"));
      expect(text.match(/^- /gm)).toHaveLength(100);
      expect(text).toContain("[Many 100]");
      expect(text).not.toContain("[Many 0]");
      expect(text).toMatch(/The newest 100; more carry this tag: note_list with tag "many" pages/);
    });

    it("answers not found, naming the uri, for a tag no note has or no note could have", async () => {
      for (const uri of [
        taggedUri("unused-tag"),
        taggedUri("y".repeat(65)),
        "notes://tagged/%00",
        "notes://tagged/%ED%A0%80",
        "notes://tagged/%ZZ",
        "notes://tagged/%20",
        "notes://tagged/",
        "notes://tagged/a/b",
      ]) {
        const error = await read(uri).catch((caught: unknown) => caught);
        expect(error, uri).toBeInstanceOf(AppError);
        expect(error, uri).toMatchObject({ code: "NOT_FOUND", details: { uri } });
      }
    });
  });
});
