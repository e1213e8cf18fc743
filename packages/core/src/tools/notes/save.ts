import { z } from "zod";
import { AppError } from "../../errors.js";
import { noteChangeUris } from "../../resources/note-uri.js";
import { defineTool } from "../define.js";
import {
  MAX_BODY_BYTES,
  MAX_TAG_CHARS,
  MAX_TAGS,
  note,
  noteBody,
  noteId,
  noteTags,
  noteTitle,
} from "./fields.js";
import { renderHeader } from "./render.js";
import { findNote, insertNote, updateNote } from "./store.js";

const input = z
  .object({
    id: noteId.optional().describe("The note to update. Omit to create a new note."),
    title: noteTitle.optional().describe("Title, 1 to 500 characters. Required when creating."),
    body: noteBody
      .optional()
      .describe(`Markdown or plain text, up to ${MAX_BODY_BYTES} bytes. Default "" on create.`),
    tags: noteTags
      .optional()
      .describe(
        `Up to ${MAX_TAGS} tags of 1 to ${MAX_TAG_CHARS} characters; stored trimmed, lowercased, de-duplicated.`,
      ),
  })
  .strict()
  .superRefine((value, issue) => {
    if (value.id === undefined && value.title === undefined) {
      issue.addIssue({
        code: "custom",
        path: ["title"],
        message: "is required when creating a note (no id given)",
      });
    }
    if (
      value.id !== undefined &&
      value.title === undefined &&
      value.body === undefined &&
      value.tags === undefined
    ) {
      issue.addIssue({
        code: "custom",
        path: ["id"],
        message: "give at least one of title, body or tags to change",
      });
    }
  });

/** Creates a note, or changes the given fields of an existing one. */
export const noteSave = defineTool({
  name: "note_save",
  title: "Save note",
  description:
    "Create a note in the shared knowledge base, or update one by id. To create, give title (and optionally " +
    "body and tags). To update, give id and only the fields to change; omitted fields keep their values, and " +
    "tags, when given, replace the old list. Returns the saved note with its id; updatedAt moves on every update.",
  input,
  output: note,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(ctx, { id, title, body, tags }) {
    if (id === undefined) {
      // superRefine guarantees the title on create; this narrows the type.
      if (title === undefined) throw new AppError("INVALID", "title: is required when creating a note");
      const created = await insertNote(ctx.db, { title, body: body ?? "", tags: tags ?? [] });
      for (const uri of noteChangeUris(created.id, created.tags)) ctx.resourceChanged(uri);
      return created;
    }
    // New tags take the note off the lists of its old ones: those change too.
    const before = tags === undefined ? undefined : await findNote(ctx.db, id);
    // drizzle leaves undefined fields out of SET: omitted fields keep their values.
    const saved = await updateNote(ctx.db, id, { title, body, tags });
    if (!saved) throw new AppError("NOT_FOUND", `No note with id ${id}; omit id to create a new note`);
    for (const uri of noteChangeUris(id, saved.tags, before?.tags ?? [])) ctx.resourceChanged(uri);
    return saved;
  },
  text: (saved) =>
    `Saved note ${saved.id}.\n${renderHeader(saved)}\n(body: ${Buffer.byteLength(saved.body, "utf8")} bytes)`,
});
