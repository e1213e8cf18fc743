import { randomBytes, randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { browseNotes } from "../../notes/manage.js";
import { encodeCursor } from "./cursor.js";
import { describeOnEachDatabase } from "./harness.js";
import { noteSave } from "./save.js";
import { noteSearch } from "./search.js";

// A word no other test writes, so tests sharing a database never see each other's notes.
const uniqueWord = () =>
  `zq${[...randomBytes(8)].map((byte) => String.fromCharCode(97 + (byte % 26))).join("")}`;

describeOnEachDatabase("note_search", (h) => {
  it("ranks a title match above a body match", async () => {
    const word = uniqueWord();
    const inBody = await h.ok(noteSave, {
      title: "Unrelated heading",
      body: `Some text about ${word} here.`,
    });
    const inTitle = await h.ok(noteSave, { title: `All about ${word}`, body: "Nothing else." });
    const { results, nextCursor } = await h.ok(noteSearch, { q: word });
    expect(results.map((hit) => hit.id)).toEqual([inTitle.id, inBody.id]);
    expect(results[0]?.rank).toBeGreaterThan(results[1]?.rank ?? Number.POSITIVE_INFINITY);
    expect(nextCursor).toBeUndefined();
  });

  it("returns a snippet with the match in bold, and no body", async () => {
    const word = uniqueWord();
    const body = `${"Filler sentence before the match. ".repeat(20)}The ${word} appears here. ${"More filler after. ".repeat(20)}`;
    await h.ok(noteSave, { title: "Snippets", body, tags: ["docs"] });
    const result = await h.call("note_search", { q: word });
    const hit = noteSearch.output.parse(result.structuredContent).results[0];
    expect(hit?.snippet).toContain(`**${word}**`);
    expect(hit?.snippet.length).toBeLessThan(400);
    expect(hit).not.toHaveProperty("body");
    expect(JSON.stringify(result.content)).toContain("Snippets");
  });

  it("keeps only notes carrying the tag, whatever its case", async () => {
    const word = uniqueWord();
    const tag = uniqueWord();
    const a = await h.ok(noteSave, { title: `${word} one`, tags: [tag] });
    const b = await h.ok(noteSave, { title: `${word} two`, tags: ["other", tag] });
    await h.ok(noteSave, { title: `${word} three`, tags: ["other"] });
    const { results } = await h.ok(noteSearch, { q: word, tag: ` ${tag.toUpperCase()} ` });
    expect(results.map((hit) => hit.id).sort()).toEqual([a.id, b.id].sort());
  });

  it("visits every match exactly once across pages, best first", async () => {
    const word = uniqueWord();
    const ids = new Set<string>();
    for (let i = 0; i < 57; i++) {
      // Three title variants and four body variants: many equal ranks, so the id tie-break matters.
      const title = i % 3 === 0 ? `${word} note ${i}` : `Note ${i}`;
      const note = await h.ok(noteSave, { title, body: `${word} `.repeat((i % 4) + 1) });
      ids.add(note.id);
    }
    const seen: { id: string; rank: number }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.ok(noteSearch, { q: word, limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...page.results);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(6);
    expect(seen).toHaveLength(57);
    expect(new Set(seen.map((hit) => hit.id))).toEqual(ids);
    for (const [index, hit] of seen.entries()) {
      const previous = seen[index - 1];
      if (!previous) continue;
      expect(hit.rank < previous.rank || (hit.rank === previous.rank && hit.id > previous.id)).toBe(true);
    }
  });

  it("finds nothing, without an error, for a query of stop words only", async () => {
    const { results, nextCursor } = await h.ok(noteSearch, { q: "the and of" });
    expect(results).toEqual([]);
    expect(nextCursor).toBeUndefined();
  });

  it.each(["-foo", "-foo -bar", '-"foo bar"', "foo or -bar", "-foo the"])(
    "refuses %j, which no index can answer, saying what to send instead",
    async (q) => {
      expect(await h.error("note_search", { q })).toMatch(
        /q: .*only excludes.*at least one word to find.*note_list/,
      );
    },
  );

  it("finds notes with a word and without an excluded one", async () => {
    const word = uniqueWord();
    const other = uniqueWord();
    await h.ok(noteSave, { title: `${word} and ${other}` });
    const kept = await h.ok(noteSave, { title: `${word} alone` });
    const { results } = await h.ok(noteSearch, { q: `${word} -${other}` });
    expect(results.map((hit) => hit.id)).toEqual([kept.id]);
  });

  it("refuses an exclusions-only search from the admin pages too", async () => {
    await expect(browseNotes(h.ctx(), { q: "-foo" })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringMatching(/q: .*only excludes/),
    });
  });

  it("rejects a malformed cursor, a note_list cursor and one from another query", async () => {
    const word = uniqueWord();
    await h.ok(noteSave, { title: `${word} a` });
    await h.ok(noteSave, { title: `${word} b` });
    const first = await h.ok(noteSearch, { q: word, limit: 1 });
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(await h.error("note_search", { q: word, cursor: "not a cursor" })).toMatch(
      /cursor: not a valid note_search cursor/,
    );
    const listCursor = encodeCursor("note_list", [null], {
      createdAt: "2024-01-01T00:00:00.000000Z",
      id: randomUUID(),
    });
    expect(await h.error("note_search", { q: word, cursor: listCursor })).toMatch(
      /cursor: not a valid note_search/,
    );
    expect(await h.error("note_search", { q: "other words", cursor: first.nextCursor })).toMatch(
      /cursor: belongs to a note_search call with different filters/,
    );
  });

  it.each([
    { problem: "an empty query", args: { q: " " }, message: /q: .*>=1 characters/ },
    { problem: "a limit of 0", args: { q: "x", limit: 0 }, message: /limit: .*>=1/ },
    { problem: "a limit of 101", args: { q: "x", limit: 101 }, message: /limit: .*<=100/ },
    { problem: "a fractional limit", args: { q: "x", limit: 2.5 }, message: /limit: .*int/i },
    { problem: "an unknown field", args: { q: "x", query: "y" }, message: /query/ },
  ])("rejects $problem with an error naming the field", async ({ args, message }) => {
    expect(await h.error("note_search", args)).toMatch(message);
  });
});
