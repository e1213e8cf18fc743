import { z } from "zod";
import { storable } from "../../text/well-formed.js";

export const MAX_TITLE_CHARS = 500;
export const MAX_BODY_BYTES = 1 << 20;
export const MAX_TAGS = 50;
export const MAX_TAG_CHARS = 64;
export const MAX_PAGE = 100;

/** A note's id: a UUID, checked before any query so a typo is a named error, not a database one. */
export const noteId = z.uuid();

/**
 * Over HTTP in MCP 2026-07-28, clients mirror the note a call reads or deletes into an
 * `Mcp-Param-Note-Id` header, so a gateway can route, log or authorize by note without parsing
 * bodies; the server checks it against the arguments (SEP-2243 `x-mcp-header`).
 */
export const mirroredId = { "x-mcp-header": "Note-Id" };

export const noteTitle = storable(z.string().trim().min(1).max(MAX_TITLE_CHARS));

export const noteBody = storable(z.string()).refine(
  (value) => Buffer.byteLength(value, "utf8") <= MAX_BODY_BYTES,
  `must be at most ${MAX_BODY_BYTES} bytes of UTF-8`,
);

/** One tag, normalised: trimmed and lowercased, so "Work " and "work" are the same tag. */
export const noteTag = storable(z.string().trim().toLowerCase().min(1).max(MAX_TAG_CHARS));

/** Tags, normalised and de-duplicated in first-seen order. */
export const noteTags = z
  .array(noteTag)
  .max(MAX_TAGS)
  .transform((tags) => [...new Set(tags)]);

export const pageLimit = z.number().int().min(1).max(MAX_PAGE).default(10);

export const pageCursor = z.string().min(1).max(1_000);

const timestamp = z.iso.datetime().describe("ISO 8601 in UTC, with microseconds");

/** A note without its body, as lists return it. */
export const noteSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  tags: z.array(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type NoteSummary = z.infer<typeof noteSummary>;

/** A whole note, as note_save and note_get return it. */
export const note = noteSummary.extend({ body: z.string() });
export type Note = z.infer<typeof note>;
