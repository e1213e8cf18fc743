import { z } from "zod";
import { AppError } from "../errors.js";
import { decodeCursor, encodeCursor } from "../tools/notes/cursor.js";
import { MAX_TITLE_CHARS } from "../tools/notes/fields.js";
import { listPage } from "../tools/notes/pages.js";
import { renderNote } from "../tools/notes/render.js";
import { findNote, matchingNoteIds } from "../tools/notes/store.js";
import { mayUse } from "../tools/settings/visible.js";
import { MAX_COMPLETIONS, type ResourceSource } from "./define.js";
import { completeTag, readTagged, taggedTemplate } from "./note-tags.js";
import { noteUri } from "./note-uri.js";

const PAGE_SIZE = 50;
const NOTE_TEMPLATE = "notes://{id}";
const MIME_TYPE = "text/markdown";
const NOTE_URI = /^notes:\/\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const position = z.object({ createdAt: z.iso.datetime(), id: z.uuid() }).strict();

/**
 * Every note is a resource, `notes://{id}`, read as Markdown: what a client attaches to a
 * conversation; so is each tag's list of notes, `notes://tagged/{tag}`. Whoever may read notes
 * with note_get may read them here; nobody else sees them.
 */
export const noteResources: ResourceSource = {
  visibleTo(ctx, principal) {
    const noteGet = ctx.tools.get("note_get");
    return noteGet !== undefined && mayUse(ctx, principal, noteGet);
  },
  templates: [
    {
      uriTemplate: NOTE_TEMPLATE,
      name: "note",
      title: "Note",
      description: "A shared note by its id (a UUID), as Markdown: title, tags, dates and body.",
      mimeType: MIME_TYPE,
    },
    taggedTemplate,
  ],
  async list({ db }, cursor) {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, "resources/list", [], position);
    const page = await listPage(db, { limit: PAGE_SIZE, after });
    return {
      resources: page.rows.map((note) => ({
        uri: noteUri(note.id),
        name: note.title,
        title: note.title,
        description: note.preview,
        mimeType: MIME_TYPE,
      })),
      nextCursor: page.next && encodeCursor("resources/list", [], page.next),
    };
  },
  // A note's id from a few letters of its title, or of the id itself: people remember titles.
  async complete({ db }, uriTemplate, variable, typed) {
    if (uriTemplate === taggedTemplate.uriTemplate && variable === "tag") return completeTag(db, typed);
    if (uriTemplate !== NOTE_TEMPLATE || variable !== "id") return { values: [] };
    return { values: await matchingNoteIds(db, typed.slice(0, MAX_TITLE_CHARS), MAX_COMPLETIONS + 1) };
  },
  async read({ db }, uri) {
    const id = NOTE_URI.exec(uri)?.[1];
    if (id === undefined) return readTagged(db, uri);
    const note = await findNote(db, id.toLowerCase());
    if (!note) throw new AppError("NOT_FOUND", "Resource not found", { details: { uri } });
    return [{ uri, mimeType: MIME_TYPE, text: renderNote(note) }];
  },
};
