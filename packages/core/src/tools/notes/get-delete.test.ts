import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { noteDelete } from "./delete.js";
import { describeOnEachDatabase } from "./harness.js";
import { noteList } from "./list.js";
import { noteSave } from "./save.js";
import { noteSearch } from "./search.js";

describeOnEachDatabase("note_get and note_delete", (h) => {
  it("gets a whole note and renders it as text", async () => {
    const saved = await h.ok(noteSave, {
      title: "Runbook",
      body: "## Steps\n1. page someone",
      tags: ["ops"],
    });
    const result = await h.call("note_get", { id: saved.id });
    expect(result.structuredContent).toEqual(saved);
    expect(result.content).toEqual([{ type: "text", text: expect.stringContaining("# Runbook") }]);
    expect(JSON.stringify(result.content)).toContain("1. page someone");
  });

  it("answers an unknown id with NOT_FOUND and a malformed one with an error naming id", async () => {
    const id = randomUUID();
    expect(await h.error("note_get", { id })).toBe(`No note with id ${id}`);
    expect(await h.error("note_get", { id: "42" })).toMatch(
      /^Invalid arguments for note_get: id: Invalid UUID/,
    );
    expect(await h.error("note_get", {})).toMatch(/id: .*expected string/i);
    expect(await h.error("note_delete", { id: "'; drop table notes; --" })).toMatch(/id: Invalid UUID/);
  });

  it("deletes a note: get, list and search no longer see it, and a second delete is NOT_FOUND", async () => {
    const tag = `delete-${randomUUID()}`;
    const saved = await h.ok(noteSave, { title: "Ephemeral zqdeleteme", tags: [tag] });
    expect(await h.ok(noteDelete, { id: saved.id })).toEqual({ deleted: true, id: saved.id });
    expect(await h.error("note_get", { id: saved.id })).toBe(`No note with id ${saved.id}`);
    expect((await h.ok(noteList, { tag })).notes).toEqual([]);
    expect((await h.ok(noteSearch, { q: "zqdeleteme", tag })).results).toEqual([]);
    expect(await h.error("note_delete", { id: saved.id })).toBe(`No note with id ${saved.id}`);
  });

  it("lists the five note tools with schemas and annotations a client can trust", async () => {
    const { tools } = await h.client().listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ["note_search", "note_get", "note_list"]) {
      expect(byName.get(name)?.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        openWorldHint: false,
      });
    }
    expect(byName.get("note_save")?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
    });
    expect(byName.get("note_delete")?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(byName.get("note_save")?.inputSchema).toMatchObject({
      properties: { title: { maxLength: 500 }, tags: { maxItems: 50 } },
      additionalProperties: false,
    });
    expect(byName.get("note_search")?.inputSchema.required).toEqual(["q"]);
  });
});
