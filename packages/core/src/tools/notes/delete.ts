import { z } from "zod";
import { AppError } from "../../errors.js";
import { noteChangeUris } from "../../resources/note-uri.js";
import { defineTool } from "../define.js";
import { mirroredId, noteId } from "./fields.js";
import { deleteNote } from "./store.js";

/** Deletes one note by id, for good. */
export const noteDelete = defineTool({
  name: "note_delete",
  title: "Delete note",
  description:
    "Permanently delete one note by its id. There is no undo and every client shares these notes: " +
    "read it with note_get first if unsure. Deleting an id that does not exist is an error.",
  input: z.object({ id: noteId.describe("The id (a UUID) of the note to delete").meta(mirroredId) }).strict(),
  output: z.object({ deleted: z.literal(true), id: z.uuid() }),
  // Idempotent in the MCP sense (no further effect on the environment), though a repeat reports NOT_FOUND.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(ctx, { id }) {
    const deleted = await deleteNote(ctx.db, id);
    if (!deleted) throw new AppError("NOT_FOUND", `No note with id ${id}`);
    for (const uri of noteChangeUris(id, deleted.tags)) ctx.resourceChanged(uri);
    return { deleted: true as const, id };
  },
  text: ({ id }) => `Deleted note ${id}.`,
});
