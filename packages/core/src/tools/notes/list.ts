import { z } from "zod";
import { defineTool } from "../define.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { noteSummary, noteTag, pageCursor, pageLimit } from "./fields.js";
import { listPage } from "./pages.js";
import { renderPage } from "./render.js";

const position = z.object({ createdAt: z.iso.datetime(), id: z.uuid() }).strict();

/** Every note, newest first, a page at a time. */
export const noteList = defineTool({
  name: "note_list",
  title: "List notes",
  description:
    "List the shared notes newest first (by creation time), optionally only those with a tag. Returns id, " +
    "title, tags, timestamps and the first 200 characters of the body. When nextCursor is present, call " +
    "again with the same tag and cursor=nextCursor for the next page. Use note_search to find notes by " +
    "content and note_get for a whole note.",
  input: z
    .object({
      tag: noteTag.optional().describe("Only notes carrying this tag (case-insensitive)"),
      limit: pageLimit.describe("Notes per page, 1 to 100 (default 10)"),
      cursor: pageCursor.optional().describe("nextCursor from the previous page of the same listing"),
    })
    .strict(),
  output: z.object({
    notes: z.array(noteSummary.extend({ preview: z.string() })),
    // Absent on the last page, rather than null: a type array ["string", "null"] is what some
    // model providers reject (see schema/portability.ts).
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ db }, { tag, limit, cursor }) {
    const filters = [tag ?? null];
    const after = cursor === undefined ? undefined : decodeCursor(cursor, "note_list", filters, position);
    const page = await listPage(db, { tag, limit, after });
    return {
      notes: page.rows,
      ...(page.next && { nextCursor: encodeCursor("note_list", filters, page.next) }),
    };
  },
  text: ({ notes, nextCursor }) =>
    renderPage(
      notes.map((item) => ({ summary: item, detail: `created ${item.createdAt}`, excerpt: item.preview })),
      nextCursor,
      "No notes.",
    ),
});
