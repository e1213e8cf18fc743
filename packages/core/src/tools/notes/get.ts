import { z } from "zod";
import { AppError } from "../../errors.js";
import { defineTool } from "../define.js";
import { mirroredId, note, noteId } from "./fields.js";
import { renderNote } from "./render.js";
import { findNote } from "./store.js";

/** Reads one whole note by id. */
export const noteGet = defineTool({
  name: "note_get",
  title: "Get note",
  description:
    "Read one note in full (title, body, tags, timestamps) by its id, as returned by note_search, note_list " +
    "or note_save. Search and list results carry only a snippet; use this for the whole body.",
  input: z.object({ id: noteId.describe("The note's id (a UUID)").meta(mirroredId) }).strict(),
  output: note,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ db }, { id }) {
    const found = await findNote(db, id);
    if (!found) throw new AppError("NOT_FOUND", `No note with id ${id}`);
    return found;
  },
  text: renderNote,
});
