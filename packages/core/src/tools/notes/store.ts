import { desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.js";
import { sqlStateOf } from "../../db/errors.js";
import { notes } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Note } from "./fields.js";

// ISO 8601 in UTC with microseconds, whatever the session time zone: exact enough to be a keyset cursor.
const iso = (column: PgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns of a note summary, timestamps as ISO strings. */
export const summaryColumns = {
  id: notes.id,
  title: notes.title,
  tags: notes.tags,
  createdAt: iso(notes.createdAt),
  updatedAt: iso(notes.updatedAt),
};

const noteColumns = { ...summaryColumns, body: notes.body };

/** Rows carrying `tag`; `@>` so the GIN index on tags answers it. */
export const hasTag = (tag: string): SQL => sql`${notes.tags} @> array[${tag}]::text[]`;

export interface NoteFields {
  title: string;
  body: string;
  tags: string[];
}

/** Stores a new note and returns it as saved. */
export async function insertNote(db: Db, fields: NoteFields): Promise<Note> {
  const [row] = await guardIndexLimit(db.insert(notes).values(fields).returning(noteColumns));
  if (!row) throw new Error("insert into notes returned no row");
  return row;
}

/** Changes the given fields of a note; undefined when no note has that id. */
export async function updateNote(db: Db, id: string, fields: Partial<NoteFields>): Promise<Note | undefined> {
  // Strictly later than before, even when two saves share a clock tick or the clock steps back.
  const updatedAt = sql`greatest(now(), ${notes.updatedAt} + interval '1 microsecond')`;
  const query = db
    .update(notes)
    .set({ ...fields, updatedAt })
    .where(eq(notes.id, id))
    .returning(noteColumns);
  const [row] = await guardIndexLimit(query);
  return row;
}

/** The note with this id, or undefined. */
export async function findNote(db: Db, id: string): Promise<Note | undefined> {
  const [row] = await db.select(noteColumns).from(notes).where(eq(notes.id, id));
  return row;
}

/** Deletes the note with this id, resolving to the tags it had; undefined when there was none. */
export async function deleteNote(db: Db, id: string): Promise<{ tags: string[] } | undefined> {
  const [row] = await db.delete(notes).where(eq(notes.id, id)).returning({ tags: notes.tags });
  return row;
}

// A tsvector holds at most 1 MB, so a body of many distinct words can fit the byte limit yet not
// the search index. Postgres reports it as program_limit_exceeded; the caller can act on that.
async function guardIndexLimit<T>(query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    if (sqlStateOf(error) !== "54000") throw error;
    throw new AppError("INVALID", "body: has too many distinct words to index for search; split the note", {
      cause: error,
    });
  }
}

/**
 * Ids of the notes whose title contains `typed` (any case) or whose id starts with it, newest
 * first: what completes a note's id as the user types.
 */
export async function matchingNoteIds(db: Db, typed: string, limit: number): Promise<string[]> {
  const literal = likeLiteral(typed);
  const rows = await db
    .select({ id: notes.id })
    .from(notes)
    .where(or(ilike(notes.title, `%${literal}%`), sql`${notes.id}::text like ${`${literal.toLowerCase()}%`}`))
    .orderBy(desc(notes.createdAt), desc(notes.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** `text` as it matches itself in a LIKE pattern: its wildcards and the escape character escaped. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
