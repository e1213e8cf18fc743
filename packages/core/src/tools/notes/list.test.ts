import { randomBytes, randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { notes } from "../../db/schema.js";
import { encodeCursor } from "./cursor.js";
import { describeOnEachDatabase } from "./harness.js";
import { noteList } from "./list.js";
import { noteSave } from "./save.js";

// A tag no other test uses, so tests sharing a database never see each other's notes.
const uniqueTag = () => `list-${randomBytes(6).toString("hex")}`;

describeOnEachDatabase("note_list", (h) => {
  it("lists newest first with a 200-character preview and no body", async () => {
    const tag = uniqueTag();
    const older = await h.ok(noteSave, { title: "Older", body: "é".repeat(300), tags: [tag] });
    const newer = await h.ok(noteSave, { title: "Newer", body: "short", tags: [tag] });
    const { notes: listed, nextCursor } = await h.ok(noteList, { tag });
    expect(listed.map((note) => note.title)).toEqual(["Newer", "Older"]);
    expect(listed[0]).toMatchObject({ id: newer.id, preview: "short", createdAt: newer.createdAt });
    expect(listed[1]?.preview).toBe("é".repeat(200));
    expect(listed[1]).not.toHaveProperty("body");
    expect(listed[1]?.id).toBe(older.id);
    expect(nextCursor).toBeUndefined();
  });

  it("keeps only notes carrying the tag", async () => {
    const tag = uniqueTag();
    const tagged = await h.ok(noteSave, { title: "Tagged", tags: ["misc", tag] });
    await h.ok(noteSave, { title: "Untagged", tags: ["misc"] });
    const { notes: listed } = await h.ok(noteList, { tag: tag.toUpperCase() });
    expect(listed.map((note) => note.id)).toEqual([tagged.id]);
  });

  it("visits every note exactly once across pages, including notes created in the same instant", async () => {
    const tag = uniqueTag();
    // One statement gives 30 rows the same created_at, so only the id orders them.
    const batch = await h
      .ctx()
      .db.db.insert(notes)
      .values(Array.from({ length: 30 }, (_, i) => ({ title: `Batch ${i}`, tags: [tag] })))
      .returning({ id: notes.id });
    const ids = new Set(batch.map((row) => row.id));
    for (let i = 0; i < 27; i++) ids.add((await h.ok(noteSave, { title: `Single ${i}`, tags: [tag] })).id);

    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.ok(noteList, { tag, limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...page.notes);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(6);
    expect(seen).toHaveLength(57);
    expect(new Set(seen.map((note) => note.id))).toEqual(ids);
    for (const [index, note] of seen.entries()) {
      const previous = seen[index - 1];
      if (!previous) continue;
      const older = note.createdAt < previous.createdAt;
      expect(older || (note.createdAt === previous.createdAt && note.id < previous.id)).toBe(true);
    }
  });

  it("rejects a malformed cursor, a note_search cursor and one from another tag", async () => {
    const tag = uniqueTag();
    await h.ok(noteSave, { title: "a", tags: [tag] });
    await h.ok(noteSave, { title: "b", tags: [tag] });
    const first = await h.ok(noteList, { tag, limit: 1 });
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(await h.error("note_list", { cursor: "%%%" })).toMatch(/cursor: not a valid note_list cursor/);
    const searchCursor = encodeCursor("note_search", [tag], { rank: 0.5, id: randomUUID() });
    expect(await h.error("note_list", { tag, cursor: searchCursor })).toMatch(
      /cursor: not a valid note_list/,
    );
    expect(await h.error("note_list", { cursor: first.nextCursor })).toMatch(
      /cursor: belongs to a note_list call with different filters/,
    );
  });

  it.each([
    { problem: "a limit of 0", args: { limit: 0 }, message: /limit: .*>=1/ },
    { problem: "a limit of 101", args: { limit: 101 }, message: /limit: .*<=100/ },
    { problem: "an empty cursor", args: { cursor: "" }, message: /cursor: .*>=1 characters/ },
    { problem: "a blank tag", args: { tag: "  " }, message: /tag: .*>=1 characters/ },
    { problem: "an unknown field", args: { sort: "asc" }, message: /sort/ },
  ])("rejects $problem with an error naming the field", async ({ args, message }) => {
    expect(await h.error("note_list", args)).toMatch(message);
  });
});
