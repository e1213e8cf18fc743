import { randomBytes, randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { noteGet } from "./get.js";
import { describeOnEachDatabase } from "./harness.js";
import { noteSave } from "./save.js";

describeOnEachDatabase("note_save", (h) => {
  it("creates a note with normalised tags and ISO timestamps", async () => {
    const saved = await h.ok(noteSave, {
      title: "  Deploy checklist ",
      body: "1. build",
      tags: [" Ops", "ops", "K8S "],
    });
    expect(saved).toMatchObject({ title: "Deploy checklist", body: "1. build", tags: ["ops", "k8s"] });
    expect(saved.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(saved.updatedAt).toBe(saved.createdAt);
    expect(await h.ok(noteGet, { id: saved.id })).toEqual(saved);
  });

  it("defaults body to empty and tags to none", async () => {
    const saved = await h.ok(noteSave, { title: "Bare" });
    expect(saved).toMatchObject({ body: "", tags: [] });
  });

  it("updates only the given fields, moves updatedAt and keeps createdAt", async () => {
    const created = await h.ok(noteSave, { title: "Draft", body: "first", tags: ["a"] });
    const updated = await h.ok(noteSave, { id: created.id, body: "second" });
    expect(updated).toMatchObject({ id: created.id, title: "Draft", body: "second", tags: ["a"] });
    expect(updated.createdAt).toBe(created.createdAt);
    expect(updated.updatedAt > created.updatedAt).toBe(true);
    const retagged = await h.ok(noteSave, { id: created.id, tags: [] });
    expect(retagged).toMatchObject({ body: "second", tags: [] });
    expect(retagged.updatedAt > updated.updatedAt).toBe(true);
    expect(await h.ok(noteGet, { id: created.id })).toEqual(retagged);
  });

  it("answers an update of an unknown id with NOT_FOUND", async () => {
    const id = randomUUID();
    expect(await h.error("note_save", { id, title: "Ghost" })).toContain(`No note with id ${id}`);
  });

  it("round-trips emoji, CJK, RTL, combining characters and a 100 KB body exactly", async () => {
    const title = "👩‍💻 東京メモ שלום e\u0301 ﷽";
    const line = "Zoë 🧪 数据库 مرحبا بالعالم a\u0300\u0301\u0302 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \t tabs and \r\n newlines\n";
    const body = line.repeat(Math.ceil(100_000 / line.length));
    expect(Buffer.byteLength(body)).toBeGreaterThan(100_000);
    const saved = await h.ok(noteSave, { title, body, tags: ["日本語", "émoji-🎉"] });
    const read = await h.ok(noteGet, { id: saved.id });
    expect(read.title).toBe(title);
    expect(read.body === body).toBe(true);
    expect(read.tags).toEqual(["日本語", "émoji-🎉"]);
  });

  it("rejects a body whose search index would exceed Postgres' 1 MB tsvector limit", async () => {
    const word = () => [...randomBytes(9)].map((byte) => String.fromCharCode(97 + (byte % 26))).join("");
    const body = Array.from({ length: 100_000 }, word).join(" ");
    expect(Buffer.byteLength(body)).toBeLessThan(1 << 20);
    expect(await h.error("note_save", { title: "Word salad", body })).toMatch(
      /^body: has too many distinct words/,
    );
  });

  it.each([
    { problem: "an empty title", args: { title: "" }, message: /title: .*>=1 characters/ },
    { problem: "a blank title", args: { title: "   " }, message: /title: .*>=1 characters/ },
    {
      problem: "a 501-character title",
      args: { title: "x".repeat(501) },
      message: /title: .*<=500 characters/,
    },
    { problem: "a create without title", args: { body: "b" }, message: /title: is required when creating/ },
    {
      problem: "51 tags",
      args: { title: "t", tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      message: /tags: .*<=50 items/,
    },
    {
      problem: "a 65-character tag",
      args: { title: "t", tags: ["x".repeat(65)] },
      message: /tags\.0: .*<=64 characters/,
    },
    { problem: "a blank tag", args: { title: "t", tags: ["ok", " "] }, message: /tags\.1: .*>=1 characters/ },
    {
      problem: "a NUL in the body",
      args: { title: "t", body: "a\u0000b" },
      message: /body: must not contain NUL/,
    },
    {
      problem: "a lone surrogate",
      args: { title: "a\ud800b" },
      message: /title: must be well-formed Unicode/,
    },
    {
      problem: "a body over 1 MB",
      args: { title: "t", body: "x".repeat((1 << 20) + 1) },
      message: /body: must be at most 1048576 bytes/,
    },
    { problem: "an unknown field", args: { title: "t", colour: "red" }, message: /colour/ },
    { problem: "a malformed id", args: { id: "not-a-uuid", title: "t" }, message: /id: Invalid UUID/ },
    {
      problem: "an update that changes nothing",
      args: { id: randomUUID() },
      message: /id: give at least one of title, body or tags/,
    },
  ])("rejects $problem with an error naming the field", async ({ args, message }) => {
    expect(await h.error("note_save", args)).toMatch(message);
  });
});
