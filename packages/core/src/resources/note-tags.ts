import { desc, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { notes } from "../db/schema.js";
import { AppError } from "../errors.js";
import { MAX_TAG_CHARS, noteTag } from "../tools/notes/fields.js";
import { hasTag, summaryColumns } from "../tools/notes/store.js";
import { type Completion, MAX_COMPLETIONS, type ResourceContents, type ResourceTemplate } from "./define.js";
import { noteUri } from "./note-uri.js";

const MIME_TYPE = "text/markdown";
/** The notes a tag's resource lists, newest first; note_list pages through any beyond. */
export const MAX_TAGGED_NOTES = 100;
// One path segment after notes://tagged/; a note's own URI is a UUID, so the two never overlap.
const TAGGED_URI = /^notes:\/\/tagged\/([^/?#]+)$/;

/** The template of the notes with one tag. */
export const taggedTemplate: ResourceTemplate = {
  uriTemplate: "notes://tagged/{tag}",
  name: "notes-by-tag",
  title: "Notes by tag",
  description:
    `The notes with a tag, newest first (at most ${MAX_TAGGED_NOTES}), as Markdown: their titles, ` +
    "each linking to its notes:// resource.",
  mimeType: MIME_TYPE,
};

/** The resource URI of the notes with `tag`; RFC 6570 simple expansion percent-encodes the value. */

/**
 * The tags in use that contain `typed` (any case): those that start with it first, then the most
 * used. One pass over the tags column: a GIN index answers "which notes have this tag", not "which
 * tags start with this", so it cannot serve a prefix (about 0.3 s per 300k notes).
 */
export async function completeTag(db: Db, typed: string): Promise<Completion> {
  if (typed.length > MAX_TAG_CHARS) return { values: [], total: 0 };
  // Tags are stored lowercased by JavaScript (noteTag), so what was typed is lowercased the same
  // way, and lower() is not run on every tag. strpos, not LIKE: wildcards match only themselves.
  const at = sql`strpos(tag, ${typed.toLowerCase()})`;
  const used = db.$with("used").as(
    db
      .select({ tag: sql<string>`tag`.as("tag"), uses: sql<number>`count(*)`.as("uses") })
      .from(sql`${notes} cross join lateral unnest(${notes.tags}) as tag`)
      .where(sql`${at} > 0`)
      .groupBy(sql`tag`),
  );
  const rows = await db
    .with(used)
    .select({ tag: used.tag, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(used)
    .orderBy(sql`${at} = 1 desc`, desc(used.uses), used.tag)
    .limit(MAX_COMPLETIONS);
  return { values: rows.map((row) => row.tag), total: rows[0]?.total ?? 0 };
}

/**
 * The notes with the tag in `uri`, as Markdown; undefined when `uri` is not a tag's. A tag that
 * could not be stored (too long, NUL, a lone surrogate, bad percent-encoding) or that no note
 * carries is not found, as a missing note is.
 */
export async function readTagged(db: Db, uri: string): Promise<ResourceContents[] | undefined> {
  const encoded = TAGGED_URI.exec(uri)?.[1];
  if (encoded === undefined) return undefined;
  const tag = decodedTag(encoded);
  if (tag === undefined) throw notFound(uri);
  const { id, title, createdAt } = summaryColumns;
  const rows = await db
    .select({ id, title, createdAt })
    .from(notes)
    .where(hasTag(tag))
    .orderBy(desc(notes.createdAt), desc(notes.id))
    .limit(MAX_TAGGED_NOTES + 1);
  if (rows.length === 0) throw notFound(uri);
  return [{ uri, mimeType: MIME_TYPE, text: renderTagged(tag, rows) }];
}

// The same rule note_save applies (trimmed, lowercased, storable, at most MAX_TAG_CHARS).
function decodedTag(encoded: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  const parsed = noteTag.safeParse(decoded);
  return parsed.success ? parsed.data : undefined;
}

const notFound = (uri: string) => new AppError("NOT_FOUND", "Resource not found", { details: { uri } });

// A title is free text: one line, and nothing in it can close the link's brackets.
const linkText = (title: string) => title.replace(/\s+/g, " ").replace(/[\\[\]]/g, "\\$&");

function renderTagged(tag: string, rows: Array<{ id: string; title: string; createdAt: string }>): string {
  const shown = rows.slice(0, MAX_TAGGED_NOTES);
  const lines = shown.map(
    (row) => `- [${linkText(row.title)}](${noteUri(row.id)}) · ${row.createdAt.slice(0, 10)}`,
  );
  const footer =
    rows.length > MAX_TAGGED_NOTES
      ? `The newest ${MAX_TAGGED_NOTES}; more carry this tag: note_list with tag "${tag}" pages through them all.`
      : shown.length === 1
        ? "1 note."
        : `${shown.length} notes, newest first.`;
  return `# Notes tagged #${tag}\n\n${lines.join("\n")}\n\n${footer}`;
}
