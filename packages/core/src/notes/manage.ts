import { z } from "zod";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { noteChangeUris } from "../resources/note-uri.js";
import { decodeCursor, encodeCursor } from "../tools/notes/cursor.js";
import { type Note, type NoteSummary, noteId, noteTag } from "../tools/notes/fields.js";
import { listPage, searchPage } from "../tools/notes/pages.js";
import { deleteNote, findNote } from "../tools/notes/store.js";

// The people's side of the notes the tools share: the same store and pages, other cursor kinds.
const listPosition = z.object({ createdAt: z.iso.datetime(), id: z.uuid() }).strict();
const searchPosition = z.object({ rank: z.number(), id: z.uuid() }).strict();

export type { Note };

export interface BrowseNotesInput {
  /** Full-text query; without one, newest first. */
  q?: string | undefined;
  tag?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A note in a listing: a preview of the body, or for a search a snippet with matches in **bold**. */
export type NoteListItem = NoteSummary & { excerpt: string; rank?: number | undefined };

export interface NotesPage {
  notes: NoteListItem[];
  nextCursor: string | null;
}

/** Notes newest first, or the matches of `q` best first; optionally one tag; a page at a time. */
export async function browseNotes(
  ctx: Pick<AppContext, "db">,
  { q, tag, cursor, limit = 25 }: BrowseNotesInput,
): Promise<NotesPage> {
  const query = q?.trim() || undefined;
  const normalTag = tag?.trim() ? parseTag(tag) : undefined;
  if (query && query.length > 1_000) throw new AppError("INVALID", "q: must be at most 1000 characters");
  const db = ctx.db.db;
  if (query === undefined) {
    const filters = [normalTag ?? null];
    const after = cursor ? decodeCursor(cursor, "admin_note_list", filters, listPosition) : undefined;
    const page = await listPage(db, { tag: normalTag, limit, after });
    return {
      notes: page.rows.map(({ preview, ...row }) => ({ ...row, excerpt: preview })),
      nextCursor: page.next ? encodeCursor("admin_note_list", filters, page.next) : null,
    };
  }
  const filters = [query, normalTag ?? null];
  const after = cursor ? decodeCursor(cursor, "admin_note_search", filters, searchPosition) : undefined;
  const page = await searchPage(db, { q: query, tag: normalTag, limit, after });
  return {
    notes: page.rows.map(({ snippet, ...row }) => ({ ...row, excerpt: snippet })),
    nextCursor: page.next ? encodeCursor("admin_note_search", filters, page.next) : null,
  };
}

/** One whole note; NOT_FOUND when there is none with this id (or it is not an id at all). */
export async function getNote(ctx: Pick<AppContext, "db">, id: string): Promise<Note> {
  const found = noteId.safeParse(id).success ? await findNote(ctx.db.db, id) : undefined;
  if (!found) throw new AppError("NOT_FOUND", `No note with id ${JSON.stringify(id)}`);
  return found;
}

/** Deletes a note for good and audits it, keeping the deleted note in the audit row. */
export async function removeNote(
  ctx: Pick<AppContext, "db" | "resourceUpdates">,
  actor: string,
  id: string,
): Promise<Note> {
  if (!noteId.safeParse(id).success) throw noteNotFound(id);
  // Read, deleted and audited in one transaction: a concurrent delete is a NOT_FOUND, and a note
  // whose audit row cannot be written is not deleted.
  const removed = await ctx.db.db.transaction(async (tx) => {
    const note = await findNote(tx, id);
    if (!note || !(await deleteNote(tx, id))) throw noteNotFound(id);
    await recordAdminAction(tx, {
      actor,
      action: "note.deleted",
      targetType: "note",
      targetId: id,
      before: { title: note.title, tags: note.tags, body: note.body },
    });
    return note;
  });
  for (const uri of noteChangeUris(id, removed.tags)) ctx.resourceUpdates.publish(uri);
  return removed;
}

const noteNotFound = (id: string) => new AppError("NOT_FOUND", `No note with id ${JSON.stringify(id)}`);

function parseTag(tag: string): string {
  const parsed = noteTag.safeParse(tag);
  if (!parsed.success) throw new AppError("INVALID", `tag: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
